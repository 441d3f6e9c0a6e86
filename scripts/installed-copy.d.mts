// Declarations of installed-copy.mjs, for the tests.
export function installedCopy(root: string): Promise<{ bin: string; native: { dir: string; prebuilt: string; platformDir: string } }>;
