import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error: a plain ESM script (also the lint target), without type declarations.
import { lintWorkflow, lintWorkflows, shellcheckMissing } from '../scripts/lint-workflows.mjs';
import { workspaceRoot } from './workspace.js';

interface Job { permissions?: Record<string, string> }
interface Workflow { permissions?: Record<string, string>; jobs: Record<string, Job> }

const workflowsDir = join(workspaceRoot, '.github/workflows');
const source = (name: string) => readFileSync(join(workflowsDir, name), 'utf8');
const workflow = (name: string) => parse(source(name)) as Workflow;
const workflowNames = readdirSync(workflowsDir).filter((name) => name.endsWith('.yml'));

// A clean machine has no shellcheck (README lists it as optional): its checks skip, saying so,
// and actionlint's still run. .ci/run installs it, so CI checks the run: blocks for real.
const noShellcheck: string | null = shellcheckMissing();
if (noShellcheck) console.warn(`workflow lint: shellcheck checks skipped: ${noShellcheck}`);

describe('workflow lint (actionlint 1.7.7 + shellcheck)', () => {
  it('finds nothing in .github/workflows', async () => {
    expect(await lintWorkflows(undefined, { shellcheck: noShellcheck === null })).toEqual([]);
  });

  const fixture = (uses: string, run = 'echo ok') =>
    `name: t\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${uses}\n        with:\n          fetch-dept: 0\n      - run: |\n          echo start\n          ${run}\n`;

  it('flags an unknown input of actions/checkout@v4', async () => {
    const findings: string[] = await lintWorkflow(fixture('actions/checkout@v4'), 'fixture.yml', { shellcheck: noShellcheck === null });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^fixture\.yml:9:11: input "fetch-dept" is not defined in action "actions\/checkout@v4"/);
  });

  it('checks a pinned action against the version its comment names', async () => {
    const findings: string[] = await lintWorkflow(fixture('actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0'), 'fixture.yml', { shellcheck: noShellcheck === null });
    expect(findings.join('\n')).toMatch(/^fixture\.yml:9:11: input "fetch-dept" is not defined/);
  });

  it.skipIf(noShellcheck !== null)('runs shellcheck on run: blocks, with the workflow line of the finding', async () => {
    const findings: string[] = await lintWorkflow(fixture('actions/checkout@v4', 'rm -rf $DIR/build ${{ github.sha }}').replace('fetch-dept', 'fetch-depth'), 'fixture.yml');
    expect(findings).toEqual([expect.stringMatching(/^fixture\.yml:12:\d+: note: Double quote to prevent globbing and word splitting\. \[SC2086\] \[shellcheck, job a\]$/)]);
  });
});

describe('actions are pinned', () => {
  it.each(workflowNames)('%s: every action is a full commit SHA with its version in a comment, one pin per action', (name) => {
    const pins = new Map<string, string>();
    // A workflow of this repository (`uses: ./.github/workflows/...`) runs the caller's copy: nothing to pin.
    for (const line of source(name).split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l) && !/uses:\s*\.\//.test(l))) {
      const match = /uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$/.exec(line);
      expect(match, line).not.toBeNull();
      expect(pins.get(match![1]!) ?? match![2], `${match![1]} pinned to two commits`).toBe(match![2]);
      pins.set(match![1]!, match![2]!);
    }
  });
});

describe('every workflow declares least-privilege permissions', () => {
  it.each(workflowNames)('%s: read-only at the top, per-job permissions', (name) => {
    const { permissions, jobs } = workflow(name);
    expect(Object.values(permissions ?? {}).every((level) => level === 'read')).toBe(true);
    for (const [jobName, job] of Object.entries(jobs)) expect(job.permissions, `${name}: ${jobName}`).toBeDefined();
  });
});
