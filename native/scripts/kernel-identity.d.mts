// Declarations of kernel-identity.mjs, for native/lib (which hashes plugins' code with it).
export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: bigint;
  size: number;
  link: number;
  info: number;
  data: Uint8Array;
}
export interface ElfFile {
  flags: number;
  sections: ElfSection[];
  relocations: Map<number, unknown[]>;
}
export declare function parseElf(bytes: Uint8Array): ElfFile;
export declare function cubinIdentity(bytes: Uint8Array): { arch: string; kernels: Record<string, string> };
export declare function cpuObjectIdentity(bytes: Uint8Array): Record<string, string>;
export declare function hostObjectIdentity(bytes: Uint8Array): string;
export declare function buildIdentity(options: { deviceCodeDir: string; hostObjects?: string[]; cpuObject?: string; cpuObjects?: string[] }): {
  schemaVersion: 1;
  kernels: Record<string, Record<string, string>>;
};
