import { defineConfig } from 'vitest/config';

// One vitest run covers the whole workspace (that is what `pnpm test` and .ci/run call); each
// package is a named project so `vitest run --project stats` runs one alone. The `source`
// condition resolves @ratchet/* imports to their TypeScript sources, so tests need no build.
const packages = ['types', 'stats', 'baseline', 'report', 'history', 'dashboard', 'core', 'ci', 'cli'];

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
        },
      })),
      {
        extends: true as const,
        test: { name: 'native', root: 'native', include: ['test/**/*.test.ts'], testTimeout: 120_000 },
      },
    ],
  },
});
