import { defineConfig } from 'vitest/config';

// One vitest run covers the whole workspace (that is what `pnpm test` and .ci/run call); each
// package is a named project so `vitest run --project stats` runs one alone. The `source`
// condition resolves @ratchet/* imports to their TypeScript sources, so tests need no build.
const packages = ['types', 'stats', 'baseline', 'report', 'core', 'ci', 'cli'];

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: {
          name,
          root: `packages/${name}`,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // End-to-end tests spawn the CLI with a 120 s limit (cli-harness.ts): allow what they allow.
          ...(name === 'cli' ? { testTimeout: 180_000 } : {}),
        },
      })),
      {
        extends: true as const,
        test: { name: 'native', root: 'native', include: ['test/**/*.test.ts'], testTimeout: 120_000 },
      },
    ],
  },
});
