// A pull request costs what it changes (issue 29): in relative mode, a benchmark whose head and
// base run identical code is not measured. Its verdict could only be `unchanged` anyway: equal
// identities are A/A, and an A/A comparison never regresses (compare's guard), so measuring it
// spends GPU time on a verdict known before the first sample.
//
// Identical means: both sessions' kernel identities known, equal, and covering all the code the
// session times (BenchmarkSession.identityCoversCode: the native addon's always do; a process's
// when it says so), on builds timed by the same harness (the caller checks that, and whether each
// build's identity file serves this device, and passes `measureAllBecause` when not).
import { benchmarkId, type Benchmark, type BenchmarkComparison, type Comparison, type RelativeCost } from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend } from './backend.js';

/** The reason a skipped benchmark's verdict carries. */
export const identicalCodeReason = 'identical code on both sides, not measured';

export interface IdenticalCodeOptions {
  /**
   * Why every benchmark is measured, identical code or not, in one line: `--measure-identical`,
   * a harness that differs between the builds, a build whose identity file is missing, unreadable
   * or of another architecture. Absent: identical code is skipped.
   */
  measureAllBecause?: string;
}

export interface IdenticalCodeCheck {
  /** The benchmarks to measure, in the suite's order. */
  measure: Benchmark[];
  /** The results of those not measured (verdict `unchanged`, `skipped`), by id. */
  skipped: Map<string, BenchmarkComparison>;
  /** Why benchmarks that may run identical code are measured all the same, one line each. */
  notes: string[];
  /** Wall time of the identity checks, ms. */
  identityMs: number;
}

type Unskippable = 'unknown' | 'uncovered' | 'architecture';

const why: Record<Unskippable, string> = {
  unknown: 'measured: no kernel identity on one side or both (a build without identities for this device, a process that reports none)',
  uncovered: "measured: their identity does not cover all the code they time (a process problem's own identity() without identity_covers_code)",
  architecture: 'measured: their two identities are of different architectures',
};

function architecture(identity: string): string {
  return identity.slice(0, Math.max(0, identity.indexOf(':')));
}

/** Whether two open sessions run identical code, or why that cannot be said; null: the code differs. */
function sameCode(head: BenchmarkSession, base: BenchmarkSession): true | Unskippable | null {
  const [h, b] = [head.kernelIdentity ?? null, base.kernelIdentity ?? null];
  if (h === null || b === null) return 'unknown';
  if (head.identityCoversCode !== true || base.identityCoversCode !== true) return 'uncovered';
  if (architecture(h) !== architecture(b)) return 'architecture';
  return h === b ? true : null;
}

function listed(ids: readonly string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
}

/** The verdict of a benchmark not measured: unchanged, A/A, no figures. */
function skippedResult(id: string, variant: string): BenchmarkComparison {
  return {
    id, verdict: 'unchanged', baseline: null, current: null, ratio: null, ratioCi95: null, changePct: null, pValue: null,
    reason: identicalCodeReason, tflops: null, gbps: null, roof: null, variant, aa: true, skipped: true,
  };
}

/**
 * Opens each benchmark on both sides (as the measurement would: default variant, the same seed),
 * compares the identities, and closes both again: nothing is checked or timed. With
 * `measureAllBecause`, opens nothing and measures everything.
 */
export async function checkIdenticalCode(
  head: MeasureBackend, base: MeasureBackend, benchmarks: readonly Benchmark[],
  options: IdenticalCodeOptions & { now?: () => number } = {},
): Promise<IdenticalCodeCheck> {
  if (options.measureAllBecause !== undefined) return { measure: [...benchmarks], skipped: new Map(), notes: [options.measureAllBecause], identityMs: 0 };
  const now = options.now ?? (() => performance.now());
  const started = now();
  const measure: Benchmark[] = [];
  const skipped = new Map<string, BenchmarkComparison>();
  const unskippable: Record<Unskippable, string[]> = { unknown: [], uncovered: [], architecture: [] };
  for (const benchmark of benchmarks) {
    const id = benchmarkId(benchmark);
    const headSession = await head.open(benchmark, { seed: 1 });
    let verdict: true | Unskippable | null;
    try {
      const baseSession = await base.open(benchmark, { seed: 1 });
      try {
        verdict = sameCode(headSession, baseSession);
      } finally {
        await baseSession.close();
      }
    } finally {
      await headSession.close();
    }
    if (verdict === true) {
      skipped.set(id, skippedResult(id, headSession.variant));
      continue;
    }
    measure.push(benchmark);
    if (verdict !== null) unskippable[verdict].push(id);
  }
  const notes = (Object.keys(unskippable) as Unskippable[]).filter((kind) => unskippable[kind].length > 0).map((kind) => `${listed(unskippable[kind])}: ${why[kind]}`);
  return { measure, skipped, notes, identityMs: now() - started };
}

/**
 * The comparison of the measured benchmarks with the skipped ones put back in the suite's order,
 * the counts tallied again, and what the run cost stamped on its relative info.
 */
export function withSkipped(comparison: Comparison, check: IdenticalCodeCheck, benchmarks: readonly Benchmark[], measureMs: number): Comparison {
  const measured = new Map(comparison.results.map((r) => [r.id, r]));
  const ordered = benchmarks.map(benchmarkId).map((id) => check.skipped.get(id) ?? measured.get(id)).filter((r): r is BenchmarkComparison => r !== undefined);
  // A result of no benchmark of the list (none today) keeps its place after them.
  const results = [...ordered, ...comparison.results.filter((r) => !ordered.includes(r))];
  const counts = { ...comparison.counts };
  for (const verdict of Object.keys(counts) as (keyof typeof counts)[]) counts[verdict] = results.filter((r) => r.verdict === verdict).length;
  const cost: RelativeCost = { benchmarks: results.length, skipped: check.skipped.size, measureMs, identityMs: check.identityMs, notes: check.notes };
  return { ...comparison, results, counts, ...(comparison.relative ? { relative: { ...comparison.relative, cost } } : {}) };
}
