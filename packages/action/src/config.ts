// The ratchet.config.json the action runs the CLI with: the repository's own thresholds, with what the inputs set over it, and every path made absolute so the results land in
// the output directory for an upload-artifact step. It is written outside the checkout (RUNNER_TEMP):
// a config kept outside the repository serves both sides of --base (README), so the workflow's
// inputs are the gate, as the workflow file is.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseJsonText, validateConfigInput, type RatchetConfigInput } from '@ratchet/types';
import type { ActionInputs } from './inputs.js';

export interface ActionPaths {
  config: string;
  outputDir: string;
  results: string;
  report: string;
  comparison: string;
}

function repositoryConfig(workspace: string, inputs: ActionInputs): RatchetConfigInput {
  const file = resolve(workspace, inputs.config);
  if (!existsSync(file)) return {};
  return validateConfigInput(parseJsonText(readFileSync(file, 'utf8'), file, 'ERR_RATCHET_INVALID_CONFIG'), file);
}

/** Writes the config for this run and says where everything goes. */
export function actionConfig(workspace: string, inputs: ActionInputs, env: Record<string, string | undefined>): ActionPaths {
  const own = repositoryConfig(workspace, inputs);
  const outputDir = resolve(workspace, inputs.outputDir);
  mkdirSync(outputDir, { recursive: true });
  const paths = {
    baseline: resolve(workspace, inputs.baseline),
    moves: resolve(workspace, own.paths?.moves ?? own.paths?.history ?? '.ratchet/history.jsonl'),
    tuning: resolve(workspace, own.paths?.tuning ?? '.ratchet/tuning.json'),
    results: join(outputDir, 'current.json'),
    report: join(outputDir, 'report.md'),
    comparison: join(outputDir, 'comparison.json'),
  };
  const thresholds = {
    ...own.thresholds,
    ...(inputs.regressionThreshold === null ? {} : { regressionPct: inputs.regressionThreshold }),
    ...(inputs.relativeThreshold === null ? {} : { relativeRegressionPct: inputs.relativeThreshold }),
  };
  // The harness's build (input `build`) builds the base's worktree. The config's own build is
  // Ratchet's native addon and plugins: no part of a harness's run, so it is not inherited.
  const build = inputs.build ? { command: ['sh', '-c', inputs.build] } : undefined;
  const config: RatchetConfigInput = { thresholds, paths, ...(build ? { build } : {}) };
  const dir = mkdtempSync(join(env.RUNNER_TEMP ?? tmpdir(), 'ratchet-action-'));
  const file = join(dir, 'ratchet.config.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return { config: file, outputDir, results: paths.results, report: paths.report, comparison: paths.comparison };
}
