// Declarations of test-plugins.mjs, for native/test.
export declare const repoRoot: string;
export declare const prebuiltDir: string;
export declare const testPlugins: Record<string, { compiler: string; source: string; flags: string[] }>;
export declare function hasCompiler(compiler: string): boolean;
export declare function pluginFile(name: string): string;
export declare function buildTestPlugin(name: string, outDir: string): string;
export declare function buildOldDriver(outDir: string): string;
