import {
  comparisonSchemaVersion,
  verdicts,
  type Baseline,
  type BaselineEntry,
  type BenchmarkComparison,
  type Comparison,
  type Measurement,
  type RunResult,
  type Thresholds,
  type Verdict,
} from '@ratchet/types';
import type { CrossRun } from './cross-run.js';
import { changePValue, weigh, type EntryStatistics, type Evidence } from './evidence.js';
import { unstableNewEntry } from './new-entry.js';
import { judgeReported, needsReportedJudgement, newReportedResult, weighReported, type ReportedEvidence } from './reported.js';
import { runSensitivity } from './sensitivity.js';
import { suiteLevels } from './suite-control.js';
import { decide } from './verdict.js';

/** The order results appear in: what needs attention first. */
export const verdictOrder: readonly Verdict[] = ['regression', 'improvement', 'inconclusive', 'invalid', 'new', 'missing', 'unchanged'];

function absent(id: string, verdict: Verdict, reason: string): BenchmarkComparison {
  return { id, verdict, baseline: null, current: null, ratio: null, ratioCi95: null, changePct: null, pValue: null, reason, tflops: null, variant: null };
}

export interface CompareOptions {
  /**
   * Looks at the data the run may take: 2 when inconclusive benchmarks are measured once more
   * and judged again (`ratchet run`), so each look spends alpha / 2. Default 1.
   */
  looks?: number;
  /**
   * The base side of a same-session comparison (`run --base`), measured interleaved with the run:
   * each benchmark whose two sides carry their turns is judged turn by turn (evidence.ts compareEntry).
   */
  pairedBase?: RunResult;
  /**
   * How each cross-run comparison reaches a regression (cross-run.ts): `confirmation` where the
   * caller can measure the entry's commit interleaved, `unconfirmable` (with why) where it cannot.
   * Absent: the CI alone (`ratchet compare`, which judges a saved results file).
   */
  crossRun?: (entry: BaselineEntry) => CrossRun;
  /** Benchmarks in the family Holm spreads alpha over, when more than those judged here (a confirmation judged in groups). */
  familySize?: number;
  /** How each measurement's statistics against its entry are had (rememberedStatistics, to judge the same ones often). */
  statistics?: EntryStatistics;
}

function newResult(m: Measurement, thresholds: Thresholds): BenchmarkComparison {
  if (m.reported) return { ...absent(m.id, 'new', ''), ...newReportedResult(m, thresholds) };
  const unstable = m.summary ? unstableNewEntry(m.summary, thresholds) : null;
  return {
    ...absent(m.id, 'new', unstable ?? 'no baseline yet for this device'), current: m.summary, tflops: m.tflops, gbps: m.gbps, roof: m.roof, variant: m.variant,
    ...(unstable ? { unstable: true } : {}),
  };
}

/** The run's sensitivity (sensitivity.ts), as a field to spread into a comparison when there is one to state. */
export function withSensitivity(results: readonly BenchmarkComparison[], thresholds: Thresholds): Pick<Comparison, 'sensitivity'> {
  const sensitivity = runSensitivity(results, thresholds);
  return sensitivity ? { sensitivity } : {};
}

/** A benchmark with a baseline entry, weighed: what the suite-wide control ranks. */
export interface Weighed {
  measurement: Measurement;
  entry: BaselineEntry;
  evidence: Evidence;
  /** How it reaches a regression across runs (absent: the CI alone). */
  crossRun?: CrossRun;
}

/**
 * Every weighed benchmark of a run judged at its level in the run (suite-control.ts). Samples too
 * few to test are not in the family: no test, no chance of a false alarm. compare() is this plus
 * the benchmarks without a comparison; calibrate calls it on evidence it weighed once, with
 * `familySize` the whole suite's when it calibrates only part of it (suiteLevels).
 */
export function judgeWeighed(weighed: readonly Weighed[], thresholds: Thresholds, looks: number, familySize?: number): { results: BenchmarkComparison[]; family: number } {
  const family = weighed.filter((w) => w.evidence.tooFew === null);
  const levels = suiteLevels(family.map((w) => changePValue(w.evidence)), thresholds, looks, familySize ?? family.length);
  const levelOf = new Map(family.map((w, i) => [w, levels[i]!]));
  const results = weighed.map((w) => decide(w.evidence, w.measurement, w.entry, thresholds, levelOf.get(w) ?? thresholds.alpha / looks, w.crossRun));
  return { results, family: family.length };
}

/**
 * One verdict per measured benchmark, plus `missing` for each baseline entry of this device that
 * was not measured. Entries of other devices are never compared: CPU numbers never meet GPU ones.
 * Every benchmark with a comparison is weighed first, then judged at its level in the run
 * (suite-control.ts), so the run as a whole holds its false-alarm rate at alpha.
 */
export function compare(run: RunResult, baseline: Baseline | null, thresholds: Thresholds, options: CompareOptions = {}): Comparison {
  const looks = options.looks ?? 1;
  const pairedBase = new Map((options.pairedBase?.measurements ?? []).map((m) => [m.id, m]));
  const entries = baseline?.devices[run.device.deviceKey]?.benchmarks ?? {};
  const weighed: Weighed[] = [];
  // Pairs with a side that has no samples (imported statistics or one number): reported.ts.
  const reported: ReportedEvidence[] = [];
  const results: BenchmarkComparison[] = [];
  for (const m of run.measurements) {
    const entry = entries[m.id];
    if (m.status === 'invalid') {
      results.push({ ...absent(m.id, 'invalid', `failed its correctness check: ${m.correctness?.detail ?? `relative error ${m.correctness?.relError}`}`), baseline: entry?.summary ?? null, variant: m.variant });
    } else if (!entry) results.push(newResult(m, thresholds));
    else if (needsReportedJudgement(m, entry)) reported.push(weighReported(m, entry, thresholds));
    else {
      const paired = pairedBase.get(m.id);
      const crossRun = paired ? undefined : options.crossRun?.(entry);
      weighed.push({ measurement: m, entry, evidence: weigh(m, entry, thresholds, paired, options.statistics), ...(crossRun ? { crossRun } : {}) });
    }
  }
  // Summary-based tests share the run's Holm family with the sample tests (reported.ts).
  const tested = reported.filter((e) => e.test !== null).length;
  const family = options.familySize ?? weighed.filter((w) => w.evidence.tooFew === null).length + tested;
  const judged = judgeWeighed(weighed, thresholds, looks, family);
  results.push(...judged.results, ...judgeReported(reported, thresholds, looks, family));
  const measured = new Set(run.measurements.map((m) => m.id));
  for (const [id, entry] of Object.entries(entries)) {
    if (!measured.has(id)) results.push({ ...absent(id, 'missing', 'in the baseline but not measured in this run'), baseline: entry.summary });
  }
  results.sort((a, b) => verdictOrder.indexOf(a.verdict) - verdictOrder.indexOf(b.verdict) || a.id.localeCompare(b.id));
  const counts = Object.fromEntries(verdicts.map((v) => [v, results.filter((r) => r.verdict === v).length])) as Record<Verdict, number>;
  return {
    schemaVersion: comparisonSchemaVersion,
    createdAt: run.createdAt,
    git: run.git,
    device: run.device,
    timing: run.timing,
    thresholds,
    results,
    counts,
    errorControl: { method: thresholds.suiteControl ?? 'holm', alpha: thresholds.alpha, looks, benchmarks: options.familySize ?? judged.family + tested },
    ...withSensitivity(results, thresholds),
    ...(run.imported ? { imported: run.imported } : {}),
  };
}
