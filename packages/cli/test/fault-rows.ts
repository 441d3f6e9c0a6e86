import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCli, prepareTemplates, runCase, type Templates } from '../../../scripts/fault-runner.mjs';

type FaultCase = Parameters<typeof runCase>[0];

/**
 * Rows of docs/faults.md's table as regression tests: each case run through the built CLI on a
 * scratch project, asserting its exit status and what was left on disk exactly as
 * scripts/fault-table.mjs checks them.
 */
export function describeFaultRows(title: string, cases: readonly FaultCase[]): void {
  describe(title, () => {
    let templates: Templates;
    beforeAll(async () => {
      templates = await prepareTemplates(defaultCli);
    }, 120_000);
    afterAll(() => rmSync(templates.root, { recursive: true, force: true }));

    for (const testCase of cases) {
      it(`${testCase.id}: ${testCase.title} -> exit ${[testCase.expect.exit].flat().join(' or ')}`, async (context) => {
        const outcome = await runCase(testCase, { templates });
        if (outcome.skipped) return context.skip(outcome.skipped);
        expect([testCase.expect.exit].flat()).toContain(outcome.status);
        expect(outcome.ok, `left on disk: ${JSON.stringify(outcome.left)}; ${outcome.message}`).toBe(true);
      });
    }
  });
}
