// Declarations of build-addon.mjs, for native/lib and the tests.
export declare const nativeRoot: string;
export declare function sourcesRoot(): string;
export declare function missingTools(env?: NodeJS.ProcessEnv): string[];
export declare function buildAddon(options: { buildDir: string; plan: object; release?: boolean }): string;
export declare function describePlan(plan: { cuda: boolean; nvcc?: string | null; architectures?: string | null; reason: string }): string;
