// Declarations of source-hash.mjs, for native/lib.
export declare const sourceDirs: string[];
export declare const sourceFiles: string[];
export declare function sourceFileList(repoRoot: string): string[];
export declare function sourceHash(repoRoot: string): string;
export declare const kernelSourcePatterns: RegExp[];
export declare function harnessFileList(repoRoot: string): string[];
export declare function harnessHash(repoRoot: string): string;
