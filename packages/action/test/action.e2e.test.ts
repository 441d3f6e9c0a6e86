// The committed bundle run as GitHub runs it: `node packages/action/bundle/index.mjs` with the
// INPUT_* variables, the event payload file, the step summary and output files, and the local
// GitHub server (packages/ci/test) as the API; once per import format, with --command against a
// base commit, for a fork's pull request, and in post mode for the workflow_run path.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '@ratchet/types';
import { startGitHubServer } from '../../ci/test/github-server.js';
import { sumHarnessRepository } from '../../cli/test/harnesses/sum-repository.js';
// The run history's own writer, as the CLI's history append uses it (the action bundles it; no dependency of its own).
import { appendRunRecord } from '../../history/src/index.js';

const bundle = fileURLToPath(new URL('../bundle/index.mjs', import.meta.url));
const fixtures = fileURLToPath(new URL('../../core/test/fixtures/harnesses', import.meta.url));
const fixture = (...parts: string[]) => join(fixtures, ...parts);
const headSha = 'c0ffee'.padEnd(40, '1');

let server: Awaited<ReturnType<typeof startGitHubServer>>;
beforeEach(async () => {
  server = await startGitHubServer({ pulls: { 7: { number: 7, state: 'open', head: { sha: headSha } } } });
});
afterEach(async () => {
  await server.close();
});

interface Step {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
}

/** The pull_request event GitHub writes for PR 7 (`from`: the head's repository; a fork's is another). */
function pullRequestEvent(from = 'octo/ratchet') {
  return { action: 'synchronize', number: 7, pull_request: { number: 7, head: { sha: headSha, repo: { full_name: from } }, base: { sha: 'b'.repeat(40) } } };
}

/** Runs the bundle as a step: inputs as INPUT_<NAME>, the event as a file, the summary and outputs as files. */
function step(inputs: Record<string, string>, options: { event?: unknown; workspace?: string; eventName?: string } = {}): Promise<Step> {
  const workspace = options.workspace ?? mkdtempSync(join(tmpdir(), 'ratchet-action-'));
  const runnerTemp = mkdtempSync(join(tmpdir(), 'ratchet-runner-'));
  const event = join(runnerTemp, 'event.json');
  writeFileSync(event, JSON.stringify(options.event ?? pullRequestEvent()));
  const summary = join(runnerTemp, 'summary.md');
  const outputs = join(runnerTemp, 'outputs.txt');
  const env: Record<string, string> = {
    PATH: process.env.PATH!, HOME: process.env.HOME ?? runnerTemp, GITHUB_ACTIONS: 'true', CI: 'true',
    GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp, GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: options.eventName ?? 'pull_request',
    GITHUB_REPOSITORY: 'octo/ratchet', GITHUB_REF: 'refs/pull/7/merge', GITHUB_SHA: 'e'.repeat(40), GITHUB_API_URL: server.baseUrl,
    GITHUB_WORKFLOW_REF: 'octo/ratchet/.github/workflows/perf.yml@refs/pull/7/merge', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: outputs,
    'INPUT_GITHUB-TOKEN': 'ghs_test', INPUT_BASELINE: '.ratchet/baseline.json', INPUT_COMMENT: 'true', INPUT_CHECK: 'true', INPUT_MODE: 'run',
    'INPUT_FAIL-ON-REGRESSION': 'true', 'INPUT_OUTPUT-DIR': 'ratchet-results', 'INPUT_CHECK-NAME': 'ratchet', INPUT_CONFIG: 'ratchet.config.json',
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle], { cwd: workspace, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => {
      const pairs = existsSync(outputs) ? readFileSync(outputs, 'utf8').trim().split('\n').map((line) => line.split('=')) : [];
      resolve({ status, stdout, stderr, workspace, outputs: Object.fromEntries(pairs.map(([k, ...v]) => [k!, v.join('=')])), summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' });
    });
  });
}

const formats: [string, string[], string, Record<string, string>][] = [
  ['nvbench', [fixture('nvbench', 'synthetic', 'slowed.json')], fixture('nvbench', 'synthetic', 'base.json'), {}],
  ['google-benchmark', [fixture('google-benchmark', 'slowed.json')], fixture('google-benchmark', 'base.json'), {}],
  ['pytest-benchmark', [fixture('pytest-benchmark', 'slowed.json')], fixture('pytest-benchmark', 'base.json'), {}],
  ['triton', [fixture('triton', 'real', 'slowed')], fixture('triton', 'real', 'base'), { unit: 'us', device: 'NVIDIA H100 80GB HBM3' }],
  ['ratchet-samples', [fixture('ratchet-samples', 'slowed.json')], fixture('ratchet-samples', 'base.json'), {}],
];

describe('the bundled action, as GitHub runs it, on each harness\'s output', () => {
  it.each(formats)('%s: the slowed build fails the step, with the job summary, the sticky comment, a failed check run annotated per regression, and the outputs', async (format, results, against, extra) => {
    const run = await step({ format, results: results.join('\n'), against, ...extra });
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.outputs.verdict).toBe('regression');
    expect(Number(run.outputs.regressions)).toBeGreaterThan(0);
    expect(run.summary).toMatch(/^# Performance Ratchet Report\n\n❌ \*\*\d+ regressions?\*\*/);
    expect(run.summary).toContain('its outputs are **not checked by Ratchet**');
    expect(server.comments).toHaveLength(1);
    expect(server.comments[0]!.body).toMatch(/^<!-- ratchet-report -->\n# Performance Ratchet Report/);
    expect(run.outputs['comment-url']).toBe(server.comments[0]!.html_url);
    const [check] = server.checkRuns;
    expect(check).toMatchObject({ name: 'ratchet', head_sha: headSha, status: 'completed', conclusion: 'failure' });
    const annotations = check!.output.annotations as { path: string; annotation_level: string; title: string }[];
    // A failure per regression; an inconclusive benchmark slower past the threshold is a warning beside them.
    expect(annotations.filter((a) => a.annotation_level === 'failure')).toHaveLength(Number(run.outputs.regressions));
    const annotation = annotations[0]!;
    expect(annotation.title).toMatch(/^regression \+\d+\.\d%: /);
    // pytest names its test file; the others land on the workflow file.
    expect(annotation.path).toBe(format === 'pytest-benchmark' ? 'test_kernels.py' : '.github/workflows/perf.yml');
    expect(existsSync(join(run.workspace, 'ratchet-results', 'comparison.json'))).toBe(true);
  });

  it('the base build\'s output against itself passes: verdict ok, a successful check run, the comment updated in place', async () => {
    const base = fixture('google-benchmark', 'base.json');
    const first = await step({ format: 'google-benchmark', results: fixture('google-benchmark', 'slowed.json'), against: base });
    expect(first.status).toBe(1);
    const again = await step({ format: 'google-benchmark', results: base, against: base });
    expect(again.status, again.stdout).toBe(0);
    expect(again.outputs.verdict).toBe('ok');
    expect(server.comments).toHaveLength(1);
    expect(server.comments[0]!.body).toMatch(/✅ \*\*No regressions\*\*/);
    expect(server.checkRuns.map((c) => c.conclusion)).toEqual(['failure', 'success']);
  });

  it('a fork\'s pull request: judged and summarised, nothing posted with its read-only token (the workflow_run path posts), and fail-on-regression false passes', async () => {
    const run = await step({ format: 'pytest-benchmark', results: fixture('pytest-benchmark', 'saved-slowed.json'), against: fixture('pytest-benchmark', 'saved-base.json'), 'fail-on-regression': 'false' }, { event: pullRequestEvent('stranger/ratchet') });
    expect(run.status).toBe(0);
    expect(run.outputs.verdict).toBe('regression');
    expect(run.stdout).toMatch(/::notice::a pull request from a fork \(stranger\/ratchet\) gets a read-only token/);
    expect(server.requests).toEqual([]);
  });

  it('bad input: one ::error:: line, the step fails with 2, nothing posted', async () => {
    const run = await step({ format: 'nvbench', results: fixture('google-benchmark', 'base.json') });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not nvbench output: it looks like google-benchmark output: use --from google-benchmark/);
    const usage = await step({ format: 'nvbench' });
    expect(usage.status).toBe(2);
    expect(usage.stdout).toBe('::error::ratchet: give input command (Ratchet runs the harness) or input results (its output files), one of the two\n');
    expect(server.requests).toEqual([]);
  });
});

/** A git repository with the CLI test's harness: commit 1 sums once, commit 2 twice. */
function harnessRepository(): string {
  return sumHarnessRepository(mkdtempSync(join(tmpdir(), 'ratchet-action-repo-')), 'ratchet-results');
}

describe('the bundled action running the harness itself', () => {
  it('command with base-ref: head and base runs alternate in their checkouts, the slowed sum fails the step, the cost line under the report', async () => {
    const workspace = harnessRepository();
    const run = await step({ command: 'node sum-bench.mjs', format: 'ratchet-samples', 'base-ref': 'HEAD~1', 'max-runs': '24', 'gpu-cost-per-hour': '2.5' }, { workspace });
    const comparison = JSON.parse(readFileSync(join(workspace, 'ratchet-results', 'comparison.json'), 'utf8'));
    expect(run.status, JSON.stringify(comparison.results.map((r: { reason: string }) => r.reason))).toBe(1);
    expect(comparison.relative.baseRef).toBe('HEAD~1');
    expect(comparison.results.find((r: { id: string }) => r.id === 'sum/n200000').verdict).toBe('regression');
    expect(run.summary).toMatch(/_Runner time of the harness \d+\.\d s, about \$\d+\.\d{4} at \$2\.5\/h\._/);
    expect(server.checkRuns[0]!.conclusion).toBe('failure');
  });
});

describe('mode post: the workflow_run path for a fork\'s pull request', () => {
  const workflowRun = (sha: string) => ({ action: 'completed', workflow_run: { id: 42, head_sha: sha, path: '.github/workflows/perf.yml', head_branch: 'feature', head_repository: { owner: { login: 'stranger' } } } });

  it('posts the uploaded comparison, rendered here, to the pull request GitHub names for the measured commit, with the check run on it', async () => {
    const measured = await step({ format: 'google-benchmark', results: fixture('google-benchmark', 'slowed.json'), against: fixture('google-benchmark', 'base.json'), comment: 'false', check: 'false' }, { event: pullRequestEvent('stranger/ratchet') });
    const comparison = join(measured.workspace, 'ratchet-results', 'comparison.json');
    const post = await step({ mode: 'post', comparison }, { event: workflowRun(headSha), eventName: 'workflow_run' });
    expect(post.status, post.stdout + post.stderr).toBe(0);
    expect(server.comments.map((c) => c.body.split('\n').slice(0, 4).join('\n'))).toEqual(['<!-- ratchet-report -->\n# Performance Ratchet Report\n\n❌ **5 regressions** — 5 benchmarks on 2 CPUs at 2600 MHz \\(host vm\\)']);
    expect(server.requests.some((r) => r.path === `/repos/octo/ratchet/commits/${headSha}/pulls`)).toBe(true);
    expect(server.checkRuns[0]).toMatchObject({ head_sha: headSha, conclusion: 'failure' });
    expect((server.checkRuns[0]!.output.annotations[0] as { path: string }).path).toBe('.github/workflows/perf.yml');
  });

  it('refuses a comparison that was tampered with (its counts no longer tally its results), posting nothing', async () => {
    const measured = await step({ format: 'google-benchmark', results: fixture('google-benchmark', 'slowed.json'), against: fixture('google-benchmark', 'base.json'), comment: 'false', check: 'false' });
    const file = join(measured.workspace, 'ratchet-results', 'comparison.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.counts.regression = 0;
    writeFileSync(file, JSON.stringify(doc));
    const post = await step({ mode: 'post', comparison: file }, { event: workflowRun(headSha), eventName: 'workflow_run' });
    expect(post.status).toBe(2);
    expect(post.stdout).toMatch(/::error::ratchet: .*comparison\.json: counts\.regression: expected 5 \(the results with this verdict\) but received 0/);
    expect(server.comments).toEqual([]);
    expect(server.checkRuns).toEqual([]);
  });
});

describe('mode drift: after a run on main, one issue per device', () => {
  /** One run on main of the H100, `slower` times its usual 1.3 ms (a steady 0.3% scatter). */
  const record = (i: number, slower: number): RunRecord => {
    const ms = 1.3 * slower * (1 + (((i * 7) % 5) - 2) / 1000);
    return {
      schemaVersion: 1, project: null, time: `2026-12-${String(1 + Math.floor(i / 8)).padStart(2, '0')}T${String(i % 8).padStart(2, '0')}:00:00.000Z`,
      commit: (i + 16).toString(16).repeat(20), branch: 'main', dirty: false,
      deviceKey: 'NVIDIA-H100-80GB-HBM3/sm90', deviceName: 'NVIDIA H100 80GB HBM3', peakTflops: 1070.5, peakGBps: 3352.3,
      timing: { clock: 'cuda-events', warmup: 10, l2Flush: true, launchesPerSample: 1 },
      benchmarks: [{
        id: 'flash_fwd/fp16/B4_H16_S4096_D128_causal', kernel: 'flash_fwd', dtype: 'fp16', status: 'ok', variant: 'v8', kernelIdentity: null,
        medianMs: ms, ci95MedianMs: [ms * 0.999, ms * 1.001], n: 500, smClockMHz: 1980, tflops: null, gbps: null, roof: null, roofFraction: null,
      }],
    };
  };

  it('opens the drift issue from the run history the workspace holds (twelve runs at its level, two 8% slower), and says it', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ratchet-action-'));
    for (let i = 0; i < 14; i += 1) await appendRunRecord(join(workspace, '.ratchet/runs'), record(i, i >= 12 ? 1.08 : 1));
    const drift = await step({ mode: 'drift' }, { workspace, eventName: 'push', event: { ref: 'refs/heads/main' } });
    expect(drift.status, drift.stdout + drift.stderr).toBe(0);
    expect(drift.stdout).toContain('drift issue created for NVIDIA H100 80GB HBM3 [NVIDIA-H100-80GB-HBM3/sm90]');
    expect(server.issues).toHaveLength(1);
    expect(server.issues[0]).toMatchObject({ state: 'open', labels: [{ name: 'ratchet-drift' }] });
  });

  it('without a token: one ::error:: line naming the permission, exit 2, nothing posted', async () => {
    const drift = await step({ mode: 'drift', 'github-token': '' }, { eventName: 'push', event: { ref: 'refs/heads/main' } });
    expect(drift.status).toBe(2);
    expect(drift.stdout).toMatch(/::error::ratchet: mode drift: input github-token .*issues: write/);
    expect(server.issues).toEqual([]);
  });
});
