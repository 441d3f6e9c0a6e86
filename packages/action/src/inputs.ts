// The action's inputs as GitHub passes them: INPUT_<NAME> environment variables (the name
// upper-cased, spaces as `_`, hyphens kept), empty when not given. action.yml declares each with
// its default; these are read and checked here once, with one message per bad value.
import { RatchetError, importFormats, type ImportFormat } from '@ratchet/types';

export type Env = Record<string, string | undefined>;

export interface ActionInputs {
  mode: 'run' | 'post' | 'drift';
  /** The harness command (run --command); else `results` names its output. */
  command: string | null;
  /** A shell command run once in each checkout before the harness (the head here, the base in its worktree). */
  build: string | null;
  results: string[];
  format: ImportFormat | null;
  unit: string | null;
  device: string | null;
  /** The base build's output, judged against instead of the baseline. */
  against: string | null;
  baseRef: string | null;
  baseline: string;
  updateBaseline: boolean;
  config: string;
  regressionThreshold: number | null;
  relativeThreshold: number | null;
  maxRuns: number | null;
  timeBudget: string | null;
  comment: boolean;
  check: boolean;
  checkName: string;
  failOnRegression: boolean;
  gpuCostPerHour: number | null;
  token: string | null;
  outputDir: string;
  /** Drift mode: the run history checked (default the config's, .ratchet/runs). */
  history: string | null;
  /** Post mode: the comparison a run of untrusted code uploaded, and the commit it measured. */
  comparison: string | null;
  headSha: string | null;
  annotationPath: string | null;
}

export function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function bad(name: string, expected: string, value: string): never {
  throw new RatchetError('ERR_RATCHET_USAGE', `input ${name}: expected ${expected} but received ${JSON.stringify(value)}`);
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = input(env, name);
  if (value === '') return fallback;
  if (['true', 'false'].includes(value.toLowerCase())) return value.toLowerCase() === 'true';
  return bad(name, 'true or false', value);
}

function number(env: Env, name: string, check: (n: number) => boolean, expected: string): number | null {
  const value = input(env, name);
  if (value === '') return null;
  const n = Number(value);
  return check(n) ? n : bad(name, expected, value);
}

const optional = (value: string) => (value === '' ? null : value);

/** Every input read and checked; what the mode needs is checked by the mode. */
export function readInputs(env: Env): ActionInputs {
  const mode = input(env, 'mode') || 'run';
  if (mode !== 'run' && mode !== 'post' && mode !== 'drift') bad('mode', 'run, post or drift', mode);
  const format = input(env, 'format');
  if (format !== '' && !(importFormats as readonly string[]).includes(format)) bad('format', importFormats.join(', '), format);
  return {
    mode,
    command: optional(input(env, 'command')),
    build: optional(input(env, 'build')),
    results: input(env, 'results').split('\n').map((line) => line.trim()).filter(Boolean),
    format: (optional(format) as ImportFormat | null),
    unit: optional(input(env, 'unit')),
    device: optional(input(env, 'device')),
    against: optional(input(env, 'against')),
    baseRef: optional(input(env, 'base-ref')),
    baseline: input(env, 'baseline') || '.ratchet/baseline.json',
    updateBaseline: flag(env, 'update-baseline', false),
    config: input(env, 'config') || 'ratchet.config.json',
    regressionThreshold: number(env, 'regression-threshold', (n) => n > 0, 'a percentage above 0'),
    relativeThreshold: number(env, 'relative-threshold', (n) => n > 0, 'a percentage above 0'),
    maxRuns: number(env, 'max-runs', (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
    timeBudget: optional(input(env, 'time-budget')),
    comment: flag(env, 'comment', true),
    check: flag(env, 'check', true),
    checkName: input(env, 'check-name') || 'ratchet',
    failOnRegression: flag(env, 'fail-on-regression', true),
    gpuCostPerHour: number(env, 'gpu-cost-per-hour', (n) => n >= 0, 'dollars >= 0'),
    token: optional(input(env, 'github-token')),
    outputDir: input(env, 'output-dir') || 'ratchet-results',
    comparison: optional(input(env, 'comparison')),
    headSha: optional(input(env, 'head-sha')),
    annotationPath: optional(input(env, 'annotation-path')),
    history: optional(input(env, 'history')),
  };
}
