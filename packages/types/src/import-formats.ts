// A leaf module, exported on its own as @ratchet/types/import-formats: the CLI lists these in
// `--from`'s help, and its start-up (`ratchet --help`, `--version`) loads no schema (TypeBox).

/** The formats `--from` reads (docs/harnesses.md). */
export const importFormats = ['nvbench', 'google-benchmark', 'pytest-benchmark', 'triton', 'ratchet-samples'] as const;
export type ImportFormat = (typeof importFormats)[number];
