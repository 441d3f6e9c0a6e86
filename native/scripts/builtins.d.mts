// Declarations of builtins.mjs, for native/lib and the tests.
export declare function builtinNames(nativeDir: string): string[];
export declare function builtinCpuKernels(nativeDir: string): string[];
