// The action's two modes. `run`: the CLI judges the harness's output (compare --from) or runs the
// harness itself (run --command, against base-ref when given), then the verdict goes to GitHub.
// `post`: for a workflow_run workflow of the default branch, the comparison a run of untrusted code
// uploaded, checked field by field and rendered here, posted for the pull request GitHub says
// that commit is the head of. `drift`: after a run on main, the run history checked for drift and
// one GitHub issue per device kept (ratchet ci --drift).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { main } from '@ratchet/cli';
import { readComparison } from '@ratchet/files';
import { renderMarkdown } from '@ratchet/report';
import { RatchetError } from '@ratchet/types';
import { actionConfig, type ActionPaths } from './config.js';
import { annotationPaths, createGitHubClient, publish, pullRequestOfRun, readEvent, workflowFile, type Published } from './github.js';
import type { ActionInputs, Env } from './inputs.js';

const usage = (message: string) => new RatchetError('ERR_RATCHET_USAGE', message);

/** The ratchet command line the inputs ask for. */
function cliArguments(inputs: ActionInputs, paths: ActionPaths, workspace: string): string[] {
  const importOptions = [...(inputs.unit ? ['--unit', inputs.unit] : []), ...(inputs.device ? ['--device', inputs.device] : [])];
  const ratchet = inputs.updateBaseline ? [] : ['--no-ratchet'];
  if (inputs.command) {
    return [
      'run', '--command', inputs.command, '--from', inputs.format!, ...importOptions, ...ratchet, '--no-history',
      ...(inputs.baseRef ? ['--base', inputs.baseRef] : []),
      ...(inputs.maxRuns ? ['--max-runs', String(inputs.maxRuns)] : []), ...(inputs.timeBudget ? ['--time-budget', inputs.timeBudget] : []),
    ];
  }
  const against = inputs.against ? ['--against', resolve(workspace, inputs.against)] : [];
  return ['compare', '--from', inputs.format!, ...inputs.results.map((file) => resolve(workspace, file)), ...importOptions, ...against, ...ratchet];
}

/** A harness's build, once, in the head's checkout (the base's worktree is built by the CLI with the same command). */
function buildHead(inputs: ActionInputs, workspace: string, log: (line: string) => void): void {
  if (!inputs.build || !inputs.command) return;
  log(`ratchet action: building: ${inputs.build}`);
  try {
    execFileSync('sh', ['-c', inputs.build], { cwd: workspace, stdio: 'inherit' });
  } catch (error) {
    throw new RatchetError('ERR_RATCHET_PROCESS', `input build (${inputs.build}) failed: ${(error as Error).message.split('\n')[0]}`);
  }
}

function exitFor(cliCode: number, inputs: ActionInputs, published: Published): number {
  if (cliCode === 1) return inputs.failOnRegression ? 1 : 0;
  return published.failures.length > 0 ? 3 : 0;
}

export async function runMode(inputs: ActionInputs, env: Env, log: (line: string) => void): Promise<number> {
  if (!inputs.format) throw usage('input format: say what the harness writes (nvbench, google-benchmark, pytest-benchmark, triton, ratchet-samples)');
  if (!inputs.command === (inputs.results.length === 0)) throw usage('give input command (Ratchet runs the harness) or input results (its output files), one of the two');
  if (inputs.baseRef && !inputs.command) throw usage('input base-ref builds and runs the base: it needs input command (with results, give the base build\'s output as against)');
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  process.chdir(workspace);
  const paths = actionConfig(workspace, inputs, env);
  // A comparison left by an earlier step must not pass for this one's.
  rmSync(paths.comparison, { force: true });
  buildHead(inputs, workspace, log);
  const started = Date.now();
  const code = await main(['node', 'ratchet', '--config', paths.config, ...cliArguments(inputs, paths, workspace)]);
  const harnessMs = inputs.command ? Date.now() - started : null;
  if ((code !== 0 && code !== 1) || !existsSync(paths.comparison)) {
    log(`::error::ratchet exited ${code}: see its message above`);
    return code === 0 ? 4 : code;
  }
  const comparison = await readComparison(paths.comparison);
  const event = readEvent(env);
  const pull = event.pull_request;
  const fork = pull && pull.head.repo?.full_name !== env.GITHUB_REPOSITORY;
  const published = await publish(inputs, env, {
    comparison,
    markdown: readFileSync(paths.report, 'utf8'),
    pr: pull?.number ?? null,
    headSha: pull?.head.sha ?? env.GITHUB_SHA ?? null,
    annotationPath: annotationPaths(inputs.annotationPath ?? workflowFile(env, event)),
    harnessMs,
    noPost: fork ? `a pull request from a fork (${pull!.head.repo?.full_name ?? 'a deleted repository'}) gets a read-only token: no comment or check run from here; the workflow_run workflow posts them (docs/harnesses.md, "Forks")` : null,
  }, log);
  for (const failure of published.failures) log(`::error::${failure}`);
  return exitFor(code, inputs, published);
}

export async function postMode(inputs: ActionInputs, env: Env, log: (line: string) => void): Promise<number> {
  if (!inputs.comparison) throw usage('mode post: input comparison names the comparison.json the measuring run uploaded');
  if (!inputs.token) throw usage('mode post: input github-token is needed to post');
  // Written by the measuring run, which may be a fork's: every field checked, the report rendered (and escaped) here.
  const comparison = await readComparison(resolve(inputs.comparison));
  const event = readEvent(env);
  const headSha = inputs.headSha ?? event.workflow_run?.head_sha ?? null;
  if (!headSha) throw usage('mode post: no head-sha input and no workflow_run event to take the measured commit from');
  const client = createGitHubClient({ token: inputs.token, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
  const pr = await pullRequestOfRun(client, env, event, headSha);
  if (pr === null) log(`::notice::${headSha.slice(0, 12)} is the head of no open pull request: the check run only`);
  const published = await publish(inputs, env, {
    comparison, markdown: renderMarkdown(comparison), pr, headSha,
    annotationPath: annotationPaths(inputs.annotationPath ?? workflowFile(env, event)), harnessMs: null, noPost: null,
  }, log);
  for (const failure of published.failures) log(`::error::${failure}`);
  return published.failures.length > 0 ? 3 : 0;
}

export async function driftMode(inputs: ActionInputs, env: Env, log: (line: string) => void): Promise<number> {
  if (!inputs.token) throw usage('mode drift: input github-token opens, updates and closes the drift issues (permissions: issues: write)');
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  process.chdir(workspace);
  const paths = actionConfig(workspace, inputs, env);
  // The CLI's command reads the token, the repository and the API from the environment.
  process.env.GITHUB_TOKEN = inputs.token;
  const history = inputs.history ? ['--history', resolve(workspace, inputs.history)] : [];
  const code = await main(['node', 'ratchet', '--config', paths.config, 'ci', '--drift', ...history]);
  if (code !== 0) log(`::error::ratchet ci --drift exited ${code}: see its message above`);
  return code;
}
