import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Each package is a named project: `pnpm test` runs every project's nx `test` target (the package
// script `vitest run --root <workspace> --project <name>`), `vitest run` here runs them all in one
// process. Roots are absolute: a relative root would resolve against the directory the package
// script runs in and find no test files. The `source` condition resolves @ratchet/* imports to
// their TypeScript sources, so tests need no build.
const workspace = fileURLToPath(new URL('.', import.meta.url));
const packages = ['types', 'files', 'charts', 'stats', 'baseline', 'report', 'history', 'dashboard', 'core', 'ci', 'cli', 'action'];

// No test is judged by its speed: a busy 2-core machine runs a test 10x slower than an idle one.
// Each child process a test spawns carries its own limit, set by its work (cli-harness.ts:
// 5 min for a CLI run that measures, 15 for one that builds an addon; peers their timeoutMs).
// This outer limit only stops a test that hangs outright, and sits above what the longest test
// may spawn (five measuring CLI runs).
const hangGuardMs = 30 * 60_000;

// RATCHET_TEST_REPORT_DIR (set by .ci/run): each vitest process also writes its JSON report
// there, named after the nx project it tests, so the closing line sums every project.
const reportDir = process.env.RATCHET_TEST_REPORT_DIR;
const reportName = (process.env.NX_TASK_TARGET_PROJECT ?? 'workspace').replace(/^@/, '').replace(/[^A-Za-z0-9_-]+/g, '-');

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    testTimeout: hangGuardMs,
    hookTimeout: hangGuardMs,
    ...(reportDir ? { reporters: ['default', 'json'], outputFile: { json: join(reportDir, `${reportName}.json`) } } : {}),
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: {
          name,
          root: join(workspace, 'packages', name),
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      })),
      {
        extends: true as const,
        test: { name: 'native', root: join(workspace, 'native'), include: ['test/**/*.test.ts'] },
      },
      // README.md and docs/ checked against the code (the nx project `docs`, docs/project.json).
      {
        extends: true as const,
        test: { name: 'docs', root: join(workspace, 'docs'), include: ['*.test.ts'] },
      },
    ],
  },
});
