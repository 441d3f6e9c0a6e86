// Declarations of local-registry.mjs, for the tests.
export declare const repoRoot: string;
export interface LocalRegistry {
  url: string;
  publisherNpmrc: string;
  stop(): Promise<void>;
  log(): string;
}
export declare function startRegistry(dir: string, options?: { uplink?: string }): Promise<LocalRegistry>;
export declare function publishWorkspace(registry: LocalRegistry): string;
