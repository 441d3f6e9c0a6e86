// Declarations of prebuild.mjs, for the tests.
export function prebuiltName(platform?: string): string;
export function prebuiltDir(platform?: string, arch?: string): string;
export function glibcNeeded(bytes: Buffer): string | null;
export function publishBuild(addonPath: string, outDir?: string): { path: string; info: Record<string, unknown> & { binary: { file: string; bytes: number; sha256: string; glibc: string | null } } };
