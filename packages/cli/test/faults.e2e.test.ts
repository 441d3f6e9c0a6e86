import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../../scripts/fault-cases.mjs';
import { defaultCli, prepareTemplates, runCase, type Templates } from '../../../scripts/fault-runner.mjs';

/**
 * A subset of docs/faults.md's table (scripts/fault-table.mjs runs all of it), as regression tests:
 * cases not covered by the other e2e files, one or more of each group. Each asserts the exit status
 * and what was left on disk, exactly as the table checks them.
 */
const subset = [
  'config-not-json', 'shape-s-string', 'threshold-alpha', 'budget-time', 'results-is-dir', 'baseline-proc', 'history-sys',
  'usage-accept-empty-reason', 'usage-config-dir', 'usage-base-build-missing', 'baseline-version', 'baseline-dir',
  'history-not-event', 'results-duplicate', 'comparison-corrupt-ci', 'tuning-other-device', 'lock-garbage', 'lock-other-host',
  'readonly-results', 'immutable-report', 'disk-full', 'sigterm-measuring', 'control-first-run', 'control-no-ratchet',
  'tuning-legacy-pin', 'check-infinite', 'gate-base-config-invalid', 'gate-pr-loosens', 'env-python-protocol', 'identity-base-other-arch', 'history-import-not-parquet',
  'native-prebuilt-truncated', 'native-prebuilt-other-arch', 'native-prebuilt-none', 'native-driver-too-old',
];

describe('the fault table, in part', () => {
  let templates: Templates;
  beforeAll(async () => {
    templates = await prepareTemplates(defaultCli);
  }, 120_000);
  afterAll(() => rmSync(templates.root, { recursive: true, force: true }));

  for (const id of subset) {
    const testCase = cases.find((c) => c.id === id)!;
    it(`${id}: ${testCase.title} -> exit ${[testCase.expect.exit].flat().join(' or ')}`, async (context) => {
      const outcome = await runCase(testCase, { templates });
      if (outcome.skipped) return context.skip(outcome.skipped);
      expect([testCase.expect.exit].flat()).toContain(outcome.status);
      expect(outcome.ok, `left on disk: ${JSON.stringify(outcome.left)}; ${outcome.message}`).toBe(true);
    });
  }
});
