import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { Benchmark } from './benchmark.js';
import type { Backend } from './device.js';
import { ThresholdsSchema, type Thresholds } from './comparison.js';
import { BenchmarkForm, Between, Bool, Described, Int, NonEmptyString, NonNegative, Obj, schemaId, Str, TimerMs } from './schema-parts.js';

// ratchet.config.json, defined once: these schemas give the TypeScript types, the validator
// (validateConfigInput) and schema/ratchet-config.schema.json, which a config names in `$schema`.

const budgetFields = {
  warmup: Int(0, { description: 'Untimed launches before the first sample.' }),
  minSamples: Int(3, { description: 'Never stop sampling before this many samples.' }),
  maxSamples: Int(3, { description: 'Never take more samples than this.' }),
  minTimeMs: NonNegative({ description: 'Least time spent sampling one benchmark, ms.' }),
  maxTimeMs: NonNegative({ description: 'Hard cap on time spent sampling one benchmark, ms.' }),
  targetRelCiHalfWidth: Between(0, 1, { description: "Stop once the median's CI half-width / median is under this (0.005 = 0.5%)." }),
  l2Flush: Bool({ description: 'Flush the L2 cache before each sample (GPU only).' }),
  launchesPerSample: Int(1, { description: 'Launches per sample, replayed from a CUDA Graph when above 1 (GPU only).' }),
  minSampleTicks: Type.Optional(Int(0, {
    description:
      'A sample must span at least this many ticks of the timer (0.5 us for CUDA events): a kernel shorter than that gets more launches ' +
      'per sample, by graph replay, chosen from a probe before sampling and recorded in the measurement. 0 or absent: never (the CPU ' +
      'backend times one call).',
  })),
};

/**
 * When the measurement loop stops sampling one benchmark (nvbench's rule): never before
 * `minSamples` samples and `minTimeMs`; then as soon as the 95% CI of the median is narrower
 * than `targetRelCiHalfWidth` of the median on each side; never after `maxSamples` or `maxTimeMs`.
 */
export const MeasureBudgetSchema = Obj(budgetFields, {
  description:
    'When the measurement loop stops sampling one benchmark: never before `minSamples` and `minTimeMs`; then as soon as the 95% CI of ' +
    'the median is narrower than `targetRelCiHalfWidth` of the median on each side; never after `maxSamples` or `maxTimeMs`.',
});
export type MeasureBudget = Static<typeof MeasureBudgetSchema>;

const pathFields = {
  baseline: NonEmptyString({ description: 'The accepted levels (default `.ratchet/baseline.json`).' }),
  moves: NonEmptyString({
    description:
      "The baseline's moves log, one JSON line per move (new, improvement, accept, correction; default `.ratchet/history.jsonl`). Not the " +
      'run history (`--history`, `.ratchet/runs` beside this file by default).',
  }),
  tuning: NonEmptyString({ description: 'Autotuning decisions (default `.ratchet/tuning.json`).' }),
  results: NonEmptyString({ description: 'The RunResult of the latest run.' }),
  report: NonEmptyString({ description: 'The markdown report of the latest run.' }),
  comparison: NonEmptyString({ description: 'The JSON comparison of the latest run.' }),
};

/** Where Ratchet reads and writes, relative to the directory holding ratchet.config.json. */
export const RatchetPathsSchema = Obj(pathFields, { description: 'Where Ratchet reads and writes, relative to the directory holding ratchet.config.json.' });
export type RatchetPaths = Static<typeof RatchetPathsSchema>;

/** A problem source that is a program speaking the line protocol (docs/guard-your-kernel.md). */
export const ProcessSourceSchema = Described('A problem source that is a program speaking the line protocol (docs/guard-your-kernel.md, schema/ratchet-protocol.schema.json).', {
  command: Type.Array(NonEmptyString(), { minItems: 1, description: 'Program and arguments, e.g. ["python3", "bench/softmax.py"]; run from the config\'s directory.' }),
  timeoutMs: Type.Optional(TimerMs({ description: 'How long one request may take before the process counts as hung, ms (default 120000).' })),
});
export type ProcessSource = Static<typeof ProcessSourceSchema>;

/**
 * How the code under test is built in another checkout (relative mode builds the base ref in a git
 * worktree, and a cross-run regression is confirmed against its baseline commit built so).
 */
export const BuildSpecSchema = Described(
  'How the code under test is built in another checkout (relative mode builds the base ref in a git worktree, and a cross-run ' +
  'regression is confirmed against its baseline commit built so).', {
  command: Type.Array(NonEmptyString(), { minItems: 1, description: 'Program and arguments run at the top of that checkout, e.g. ["make", "-C", "kernels"].' }),
  addon: Type.Optional(NonEmptyString({
    description:
      'The Ratchet addon that build produces, relative to the top of the checkout, when the checkout builds Ratchet itself; absent: both ' +
      'sides use the installed addon.',
  })),
});
export type BuildSpec = Static<typeof BuildSpecSchema>;

const perBackend = <T extends TSchema>(schema: T, description: string) =>
  Obj({ cpu: Type.Optional(schema), cuda: Type.Optional(schema) }, { description });

/** ratchet.config.json after defaults are applied. */
export interface RatchetConfig {
  /** Absent: nothing to build (a process source's scripts, or plugins built by the user). */
  build?: BuildSpec;
  /** Shared libraries built against native/include/ratchet/problem.h (absolute once loaded). */
  plugins: string[];
  processes: ProcessSource[];
  /** The benchmarks measured by default, per backend. */
  suites: Record<Backend, Benchmark[]>;
  thresholds: Thresholds;
  budgets: Record<Backend, MeasureBudget>;
  paths: RatchetPaths;
}

/** ratchet.config.json as written on disk: every section optional, every field in it optional, unknown keys refused. */
export const RatchetConfigInputSchema = Obj({
  $schema: Type.Optional(Str({
    description: 'The JSON Schema of this file, for editors: `./node_modules/@ratchet/types/schema/ratchet-config.schema.json` or a URL of it.',
  })),
  suites: Type.Optional(perBackend(Type.Array(BenchmarkForm()), 'The benchmarks measured by default, per backend.')),
  thresholds: Type.Optional(Type.Partial(ThresholdsSchema)),
  budgets: Type.Optional(perBackend(Type.Partial(MeasureBudgetSchema), 'How long each benchmark is sampled, per backend.')),
  build: Type.Optional(BuildSpecSchema),
  plugins: Type.Optional(Type.Array(NonEmptyString(), { description: 'Shared libraries built against native/include/ratchet/problem.h, relative to this file.' })),
  processes: Type.Optional(Type.Array(ProcessSourceSchema, { description: 'Programs that speak the line protocol, each a problem source.' })),
  paths: Type.Optional(Obj({
    ...Type.Partial(RatchetPathsSchema).properties,
    history: Type.Optional(NonEmptyString({
      deprecated: true,
      description: "The moves log's key before it had a name of its own (`moves`): still read as `moves`, with a one-line notice.",
    })),
  }, { description: RatchetPathsSchema.description })),
}, {
  $id: schemaId('ratchet-config.schema.json'),
  title: 'ratchet.config.json',
  description: "Ratchet's configuration: every section optional, every field in it optional; a key not named here is an error.",
});
export type RatchetConfigInput = Static<typeof RatchetConfigInputSchema>;
