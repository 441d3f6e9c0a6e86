import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createGitHubClient } from '../src/index.js';
import { workspaceRoot } from './workspace.js';

interface Step { id?: string; uses?: string; with?: Record<string, string> }

/** The script of the actions/github-script step of `job` in a workflow of this repository. */
export function workflowScript(file: string, job: string): string {
  const workflow = parse(readFileSync(join(workspaceRoot, '.github/workflows', file), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
  const step = workflow.jobs[job]!.steps.find((s) => s.uses?.startsWith('actions/github-script@'));
  if (!step?.with?.script) throw new Error(`${file}: job ${job} has no actions/github-script step`);
  return step.with.script;
}

/** What a script's calls of github-script's `core` leave behind: the step's outputs, its notices, why it failed. */
export interface ScriptRun {
  outputs: Record<string, string>;
  notices: string[];
  failed: string | null;
  log: string[];
}

/**
 * Runs a workflow's github-script as actions/github-script does (an async function of `require`,
 * `github`, `context`, `core`), with `github` a real client of the GitHub at `baseUrl` (the local
 * server of github-server.ts). `core` keeps what the runner would: outputs, notices, the failure.
 */
export async function runGitHubScript(script: string, options: { baseUrl: string; context: Record<string, unknown>; env?: Record<string, string> }): Promise<ScriptRun> {
  const run: ScriptRun = { outputs: {}, notices: [], failed: null, log: [] };
  const core = {
    setOutput: (name: string, value: unknown) => void (run.outputs[name] = String(value)),
    notice: (text: string) => void run.notices.push(text),
    info: (text: string) => void run.log.push(text),
    setFailed: (text: string) => void (run.failed = text),
  };
  const console = { log: (...values: unknown[]) => void run.log.push(values.join(' ')) };
  const github = createGitHubClient({ token: 't0ken', baseUrl: options.baseUrl, retries: 0 });
  const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction('require', 'github', 'context', 'core', 'process', 'console', script)(
    createRequire(import.meta.url), github, options.context, core, { env: options.env ?? {} }, console,
  );
  return run;
}
