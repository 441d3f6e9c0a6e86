import { Type, type Static, type TInteger } from '@sinclair/typebox';
import { ImportedFromSchema, ReportedStatisticsSchema, type EvidenceLevel } from './imported.js';
import { Between, Bool, Described, Finite, Int, NonNegative, Nullable, Obj, OneOf, Pair, Positive, schemaId, Str, Within } from './schema-parts.js';
import { Roof, runFileHead, SummarySchema } from './measurement.js';
import { ShardStampSchema } from './shard-stamp.js';

// results/comparison.json defined once: the types below, validateComparison and
// schema/ratchet-comparison.schema.json come from these schemas.

export const verdicts = [
  'regression',
  'improvement',
  'unchanged',
  'new',
  'missing',
  'invalid',
  'inconclusive',
] as const;

/**
 * regression: slower past the threshold and statistically real. improvement: faster past its
 * threshold and real. unchanged: neither. new: no baseline yet. missing: in the baseline, not
 * measured. invalid: failed its correctness check. inconclusive: the noise is too large to tell
 * whether the threshold was crossed.
 */
export type Verdict = (typeof verdicts)[number];

/** How a run's false-alarm rate is held at alpha (Thresholds.suiteControl). */
export const suiteControls = ['holm', 'none'] as const;

/** When a change counts. Percentages are of the baseline median. */
export const ThresholdsSchema = Obj({
  regressionPct: Positive({ description: 'Slower by more than this percent is a regression (default 3).' }),
  relativeRegressionPct: Type.Optional(Positive({
    description:
      'The regression threshold of same-session comparisons, where head and base are measured interleaved (`ratchet run --base`, and ' +
      '`ratchet calibrate`, which models it). Their noise is about ten times lower than across runs, so a tighter threshold still raises ' +
      'no false alarms (default 1.5: on the H100, 0 of 2,000 A/A comparisons flagged and a 3% slowdown caught in 100% of trials on every ' +
      'default shape; earlier runs at 2% caught it only 90% on one shape).',
  })),
  improvementPct: Positive({ description: 'Faster by more than this percent is an improvement (default 5).' }),
  alpha: Between(0, 1, {
    description:
      'Significance level of the tests that make a change "real" (default 0.05): two-sided, so a change in one direction is called at ' +
      'alpha / 2. With `suiteControl` it holds for a whole run (every benchmark, every look), not for each benchmark alone.',
  }),
  suiteControl: Type.Optional(OneOf(suiteControls, {
    description:
      "How the false-alarm rate of a whole run is held at alpha: `holm` (default), Holm's step-down over every benchmark judged; `none`, " +
      'each benchmark at alpha by itself (a 10-benchmark suite then fails up to ten times as many unchanged pull requests). Absent: `holm`.',
  })),
  runToRunPct: Type.Optional(NonNegative({
    description:
      "How much a benchmark's median moves from run to run (different machine, day, driver), as a standard deviation in percent of the " +
      'median. Comparisons against the committed baseline add it as a variance; once an entry holds medians of several runs ' +
      '(BaselineEntry.runMedians) their spread is used, with this as the prior. Same-session comparisons (interleaved) leave it out. ' +
      'Default 1; absent means 0.',
  })),
  newEntryMaxCvPct: Type.Optional(Positive({
    description:
      'A new benchmark is stored in the baseline only when its samples are this steady: robust cv, (p75 - p25) / 1.349 / median, under ' +
      'this percent (default 10). Otherwise the verdict stays `new` with "not stored yet: unstable (cv 12%)", and a later, steadier run ' +
      "stores it. Absent (thresholds a library caller builds without the config's defaults): no bound.",
  })),
});
export type Thresholds = Static<typeof ThresholdsSchema>;

/** How a run's false-alarm rate is held at alpha. */
export const ErrorControlSchema = Described("How the verdicts held the run's false-alarm rate at alpha.", {
  method: OneOf(suiteControls),
  alpha: Between(0, 1, { description: 'Thresholds.alpha: the rate for the whole run.' }),
  looks: Int(1, { description: 'Looks at the data the run may take (2 when inconclusive benchmarks are measured once more): each spends alpha / looks.' }),
  benchmarks: Int(0, { description: 'Benchmarks in the family (those with a comparison).' }),
});
export type ErrorControl = Static<typeof ErrorControlSchema>;

/** Baseline vs current in SM kilocycles per sample. */
export const CyclesComparisonSchema = Described(
  'The same comparison in SM cycles (time x clock), when both sides read their clocks. A change in time that does not hold in cycles is ' +
  "the clock's doing, not the code's: never a regression.", {
  ratio: Positive(),
  ratioCi95: Pair(),
  changePct: Finite(),
  pValue: Between(0, 1),
  baselineClockMHz: Positive({ description: "Median SM clock of the baseline's samples, MHz." }),
  currentClockMHz: Positive({ description: 'Median SM clock of the current samples, MHz.' }),
});
export type CyclesComparison = Static<typeof CyclesComparisonSchema>;

/**
 * How a slowdown becomes a regression: `interval`, the whole CI past the threshold at the
 * benchmark's level (same-session comparisons, and `ratchet compare`); `confirmation`, across runs
 * an estimate past the threshold is measured again interleaved against the baseline's commit,
 * which decides; `unconfirmable`, across runs with no commit to measure, the whole CI past the
 * threshold plus several run-to-run spreads (@ratchet/baseline unconfirmableSpreads).
 */
export const detectionRules = ['interval', 'confirmation', 'unconfirmable'] as const;
export type DetectionRule = (typeof detectionRules)[number];

/** A comparison's minimum detectable change: the sensitivity it can state. */
export const SensitivitySchema = Described('What this comparison could have caught (its minimum detectable change), and by which rule.', {
  mdcPct: Nullable(Positive(), {
    description:
      'The smallest slowdown, percent of the baseline median, that this comparison (its spread, its effective samples, its threshold and ' +
      'its level in the run) would have called a regression with 95% probability. Null: its samples allow no verdict at that level at all.',
  }),
  rule: OneOf(detectionRules, {
    description:
      "`interval`: the whole CI past the threshold at the benchmark's level; `confirmation`: across runs, an estimate past the threshold " +
      "is measured again interleaved against the baseline's commit; `unconfirmable`: across runs with no commit to measure, the whole CI " +
      'past the threshold plus several run-to-run spreads.',
  }),
});
export type Sensitivity = Static<typeof SensitivitySchema>;

/** What a verdict could rest on, the poorer side deciding (EvidenceLevel). */
const evidenceLevels = ['samples', 'summary', 'none'] as const satisfies readonly EvidenceLevel[];

export const BenchmarkComparisonSchema = Described('Baseline vs current for one benchmark.', {
  id: Str(),
  verdict: OneOf(verdicts, {
    description:
      '`regression`: slower past the threshold and statistically real. `improvement`: faster past its threshold and real. `unchanged`: ' +
      'neither. `new`: no baseline yet. `missing`: in the baseline, not measured. `invalid`: failed its correctness check. `inconclusive`: ' +
      'the noise is too large to tell whether the threshold was crossed.',
  }),
  baseline: Nullable(SummarySchema),
  current: Nullable(SummarySchema),
  ratio: Nullable(Finite(), { description: 'current median / baseline median: above 1 is slower. Null when either side is absent.' }),
  ratioCi95: Nullable(Pair(), { description: '95% confidence interval of that ratio.' }),
  changePct: Nullable(Finite(), { description: '(ratio - 1) * 100: positive is slower.' }),
  pValue: Nullable(Finite(), { description: 'Two-sided Mann-Whitney U p-value of baseline vs current samples.' }),
  reason: Str({ description: 'One line saying why this verdict, e.g. "5.2% slower (95% CI 4.1%..6.3%), p < 0.001".' }),
  tflops: Nullable(NonNegative()),
  gbps: Type.Optional(Nullable(NonNegative(), { description: 'GB/s at the current median; absent in comparisons written before it.' })),
  roof: Type.Optional(Roof({ description: "Which roof binds the shape: where it is 'memory', GB/s is the rate that matters." })),
  variant: Nullable(Str()),
  cycles: Type.Optional(CyclesComparisonSchema),
  aa: Type.Optional(Bool({ description: 'Both sides ran the same machine code (equal kernel identities): A/A, never a regression.' })),
  skipped: Type.Optional(Bool({
    description:
      'Relative mode: not measured, since both sides run identical code (equal identities that cover all the code timed, and the same ' +
      'harness): verdict `unchanged`, no figures, no GPU time.',
  })),
  level: Type.Optional(Within(0, 1, { description: "The two-sided significance level this benchmark was judged at: alpha over the looks, then Holm's step for its rank in the run." })),
  decisionCi: Type.Optional(Pair({ description: "The ratio's CI at that level (run-to-run spread included across runs): the interval the verdict read." })),
  autocorrelation: Type.Optional(Obj({ baseline: Within(-1, 1), current: Within(-1, 1) }, {
    description: "Lag-1 rank autocorrelation of each side's samples in the order taken; intervals are widened for it.",
  })),
  effectiveN: Type.Optional(Obj({ baseline: NonNegative(), current: NonNegative() }, {
    description: "What each side's samples are worth as independent ones (n over the autocorrelation's variance inflation).",
  })),
  paired: Type.Optional(Obj({ turns: Int(1), autocorrelation: Within(-1, 1), effectiveTurns: NonNegative() }, {
    description:
      'Same-session comparisons whose sides took turns: the verdict came from the ratio within each turn. How many turns paired, their ' +
      'lag-1 autocorrelation, and what they are worth independent.',
  })),
  runToRun: Type.Optional(Obj({ pct: NonNegative(), runs: Int(0) }, {
    description: 'The run-to-run spread included (sd, percent of the median) and the runs of the entry it was estimated from (1: the prior alone).',
  })),
  unstable: Type.Optional(Bool({ description: 'A `new` benchmark too noisy to store (Thresholds.newEntryMaxCvPct): the baseline leaves it out this time.' })),
  drift: Type.Optional(OneOf(['slower', 'faster'] as const, {
    description:
      'A/A (the same machine code on both sides), yet the data show a significant change past the threshold: `slower`, the machine ' +
      'drifted; `faster`, the baseline was measured slow, and the ratchet corrects it (a `correction` in the history).',
  })),
  evidence: Type.Optional(OneOf(evidenceLevels, {
    description:
      'What the verdict could rest on, the poorer side deciding (absent: samples, the usual tests). `summary`: a test on reported ' +
      'statistics (the reason names it); `none`: one number a side, so a threshold check with no statistics, never a CI.',
  })),
  reported: Type.Optional(Obj({ baseline: Nullable(ReportedStatisticsSchema), current: Nullable(ReportedStatisticsSchema) }, {
    description: 'The reported statistics of each side that had no samples (imported: Measurement.reported).',
  })),
  harnessName: Type.Optional(Str({ description: "Imported: the benchmark's name in its harness's terms (Measurement.harnessName), e.g. where a pytest test's file is." })),
  sensitivity: Type.Optional(SensitivitySchema),
});
export type BenchmarkComparison = Static<typeof BenchmarkComparisonSchema>;

/** A whole run's sensitivity: how many comparisons could catch twice their threshold. */
export const RunSensitivitySchema = Described('What the run could have caught (absent in comparisons written before it was stated).', {
  aimPct: Positive({ description: 'Twice the regression threshold, percent: what the stopping rule samples each comparison to catch.' }),
  benchmarks: Int(0, { description: 'Benchmarks with a comparison (new, missing and invalid ones have none).' }),
  withinAim: Int(0, { description: 'Of those, the ones whose minimum detectable change is at or below aimPct.' }),
  mdcPct: Nullable(Positive(), { description: 'The largest minimum detectable change among those within the aim: the run catches that much on all of them. Null when none is.' }),
  worstPct: Nullable(Positive(), { description: 'The largest minimum detectable change of all; null when some comparison can reach no verdict at all.' }),
});
export type RunSensitivity = Static<typeof RunSensitivitySchema>;

/** The thresholds a config may set, as a relative run's gate names them (ThresholdChange.key): every key of Thresholds. */
export const thresholdKeys = ['regressionPct', 'relativeRegressionPct', 'improvementPct', 'alpha', 'suiteControl', 'runToRunPct', 'newEntryMaxCvPct'] as const satisfies readonly (keyof Thresholds)[];

const ThresholdValue = (description: string) => Type.Union([Finite(), Str(), Type.Null()], { description });

export const ThresholdChangeSchema = Obj({
  key: OneOf(thresholdKeys),
  base: ThresholdValue("The value the run was judged with (the base's, or the default there); null: unset."),
  head: ThresholdValue("What the head's config sets."),
  looser: Bool({ description: "The head's value would pass a change the base's fails (a higher regression threshold, a lower alpha, ...)." }),
});
export type ThresholdChange = Static<typeof ThresholdChangeSchema>;

export const RemovedBenchmarkSchema = Obj({
  id: Str(),
  measured: Bool({ description: 'Measured on both sides and judged like the rest; false where the head can no longer run it.' }),
  reason: Type.Optional(Str({ description: 'Why it was not measured.' })),
});
export type RemovedBenchmark = Static<typeof RemovedBenchmarkSchema>;

/** How the head's ratchet.config.json differs from the one whose gate judged the run. */
export const GateChangesSchema = Described(
  "The gate the run was judged with: a pull request does not set its own, so the base's thresholds, budgets and suite judge it, and what " +
  "the head's ratchet.config.json changes is reported. Absent: no base version of the config to compare (one kept outside the repository).", {
  judgedWith: OneOf(['base', 'defaults', 'head'] as const, {
    description:
      'Whose config judged: `base`, its ratchet.config.json at baseSha; `defaults`, the base has none and ran with the defaults; `head`, the ' +
      "base's could not be read (a prebuilt base without one).",
  }),
  thresholds: Type.Array(ThresholdChangeSchema, { description: "Thresholds the head sets otherwise, with the value judged with and whether the head's would let more through." }),
  removed: Type.Array(RemovedBenchmarkSchema, { description: "Benchmarks of the base's suite that the head's leaves out: measured anyway where the head still runs them." }),
  changed: Type.Array(Str(), { description: "Other sections the head changes (`budgets.cuda`, `build`, `plugins`, `processes`), the base's used all the same." }),
});
export type GateChanges = Static<typeof GateChangesSchema>;

/**
 * What a relative run cost. Benchmarks whose two sides run identical code are not measured
 * (BenchmarkComparison.skipped), so a pull request costs what it changes, not what the suite holds.
 */
export const RelativeCostSchema = Described('What the run measured and skipped, and the time it held the device. Absent in comparisons written before it.', {
  benchmarks: Int(0, { description: 'Benchmarks judged: measured and skipped together.' }),
  skipped: Int(0, { description: 'Not measured: identical code on both sides.' }),
  measureMs: NonNegative({ description: "Wall time of the measuring, ms: both sides' checks, turns and re-measures (the GPU time of the run)." }),
  identityMs: NonNegative({ description: 'Wall time of the identity checks, ms: each benchmark opened on both sides and closed again, nothing timed.' }),
  notes: Type.Array(Str(), {
    description:
      'Why benchmarks that may run identical code were measured all the same, one line each: `--measure-identical`, a harness that differs ' +
      'between the builds, a build whose identities are unknown or of another architecture, identities that do not cover all the code. Empty: none.',
  }),
});
export type RelativeCost = Static<typeof RelativeCostSchema>;

/** What a relative run compared against. Which benchmarks ran identical code shows per result (`aa`). */
export const RelativeInfoSchema = Described('Present in relative mode: the base build measured in the same session, interleaved.', {
  baseRef: Str(),
  baseSha: Str(),
  gate: Type.Optional(GateChangesSchema),
  cost: Type.Optional(RelativeCostSchema),
});
export type RelativeInfo = Static<typeof RelativeInfoSchema>;

// 2: benchmarks of any problem (docs/problem-contract.md); 1 held attention shapes only and is still read.
export const comparisonSchemaVersion = 2;

/** A whole run judged against the baseline: what report and ci consume. */
export const ComparisonSchema = Obj({
  ...runFileHead(comparisonSchemaVersion),
  thresholds: ThresholdsSchema,
  results: Type.Array(BenchmarkComparisonSchema),
  counts: Obj(Object.fromEntries(verdicts.map((verdict) => [verdict, Int(0)])) as Record<Verdict, TInteger>, {
    description: 'How many results have each verdict (CI passes or fails on these alone, so they must tally the results).',
  }),
  relative: Type.Optional(RelativeInfoSchema),
  errorControl: Type.Optional(ErrorControlSchema),
  // imported and shard close a run's results too (measurement.ts): the keys' order keeps them out of runFileHead.
  imported: Type.Optional(ImportedFromSchema),
  sensitivity: Type.Optional(RunSensitivitySchema),
  shard: Type.Optional(ShardStampSchema),
}, {
  $id: schemaId('ratchet-comparison.schema.json'),
  title: 'results/comparison.json',
  description: 'A whole run judged against the baseline (`ratchet run`, `compare`): a verdict per benchmark, and what report and ci consume.',
});
export type Comparison = Static<typeof ComparisonSchema>;
