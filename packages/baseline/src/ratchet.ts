import { checkedCopy, lag1RankAutocorrelation, sortCheckedWithOrder, sortedSamples } from '@ratchet/stats';
import {
  RatchetError,
  baselineSchemaVersion,
  centralMs,
  deviceKind,
  runMediansKept,
  type Baseline,
  type BaselineEntry,
  type HistoryEvent,
  type Measurement,
  type RunResult,
  type BenchmarkComparison,
  type Comparison,
} from '@ratchet/types';
import { kilocycles } from './cycles.js';

/** A baseline after one step of the ratchet, and the history lines that record the step. */
export interface RatchetStep {
  baseline: Baseline;
  events: HistoryEvent[];
  /**
   * The baseline differs from the one given: events, or only medians of unchanged runs added to
   * entries (BaselineEntry.runMedians), which move no level and so make no history event.
   */
  changed: boolean;
}

export interface StepInfo {
  sha: string | null;
  time: string;
  /** Uncommitted changes in the tree (GitInfo.dirty): recorded in the entries stored, with their commit. */
  dirty?: boolean;
}

export function emptyBaseline(): Baseline {
  return { schemaVersion: baselineSchemaVersion, devices: {} };
}

/**
 * A measurement as a baseline entry: samples (and cycles) stored ascending, identity kept, and
 * what the sorted samples can no longer tell: their autocorrelation in the order taken, and this
 * run's median as the first of the entry's run medians.
 */
export function baselineEntryFor(m: Measurement, acceptedAs: BaselineEntry['acceptedAs'], at: StepInfo, reason?: string): BaselineEntry {
  if (m.reported) return reportedEntryFor(m, acceptedAs, at, reason);
  const { copy, ascending } = checkedCopy(m.samplesMs);
  // Samples that arrive ascending were sorted already: their order says nothing of correlation.
  const inOrder = ascending ? null : sortCheckedWithOrder(copy);
  // Stored ascending: later comparisons then skip sorting the baseline side.
  const samplesMs = Array.from(inOrder ? inOrder.sorted : copy);
  const clocks = m.samplesClockMHz;
  // At one steady clock the cycles sort like the times: no second sort.
  const steady = clocks && clocks.length === samplesMs.length && clocks.every((mhz) => mhz === clocks[0]) ? clocks[0]! : null;
  const kcycles = steady === null ? kilocycles(m) : null;
  return {
    summary: m.summary!,
    samplesMs,
    ...(steady !== null ? { samplesKcycles: samplesMs.map((ms) => ms * steady) } : kcycles ? { samplesKcycles: Array.from(sortedSamples(kcycles)) } : {}),
    ...(m.kernelIdentity ? { kernelIdentity: m.kernelIdentity } : {}),
    ...acceptance(m, acceptedAs, at, reason),
    ...(inOrder ? { autocorrelation: lag1RankAutocorrelation(inOrder) } : {}),
    runMedians: [{ sha: at.sha, medianMs: m.summary!.median }],
  };
}

/** What every entry records of how it was reached: the variant, the commit, when, as what, why. */
function acceptance(m: Measurement, acceptedAs: BaselineEntry['acceptedAs'], at: StepInfo, reason?: string) {
  return {
    variant: m.variant,
    sha: at.sha,
    ...(at.sha !== null && at.dirty !== undefined ? { dirty: at.dirty } : {}),
    acceptedAt: at.time,
    acceptedAs,
    ...(reason === undefined ? {} : { reason }),
  };
}

/** An imported figure with no samples as an entry: the statistics its harness reported, as they were. */
function reportedEntryFor(m: Measurement, acceptedAs: BaselineEntry['acceptedAs'], at: StepInfo, reason?: string): BaselineEntry {
  return {
    summary: null,
    samplesMs: [],
    reported: m.reported!,
    ...acceptance(m, acceptedAs, at, reason),
    runMedians: [{ sha: at.sha, medianMs: centralMs(m)! }],
  };
}

/**
 * An entry with one more run's median, the oldest dropped past runMediansKept; null when the
 * newest already is this commit's (outside git, every run counts).
 */
function withRunMedian(entry: BaselineEntry, medianMs: number, sha: string | null): BaselineEntry | null {
  const previous = entry.runMedians ?? [{ sha: entry.sha, medianMs: centralMs(entry)! }];
  if (sha !== null && previous.at(-1)?.sha === sha) return null;
  return { ...entry, runMedians: [...previous, { sha, medianMs }].slice(-runMediansKept) };
}

/** Writes entries into a copy of the baseline (never mutates the input). */
function withEntries(baseline: Baseline | null, run: RunResult, entries: Record<string, BaselineEntry>): Baseline {
  const base = baseline ?? emptyBaseline();
  const key = run.device.deviceKey;
  const previous = base.devices[key]?.benchmarks ?? {};
  return {
    schemaVersion: baselineSchemaVersion,
    devices: { ...base.devices, [key]: { device: deviceKind(run.device), benchmarks: { ...previous, ...entries } } },
  };
}

/** What one result does to its entry: a new level (with its history event), one more run median, or nothing. */
function stepFor(result: BenchmarkComparison, m: Measurement, entry: BaselineEntry | undefined, run: RunResult, at: StepInfo): { entry: BaselineEntry; event?: HistoryEvent } | null {
  const event = (kind: HistoryEvent['event'], reason?: string): HistoryEvent => ({
    time: at.time, deviceKey: run.device.deviceKey, benchmarkId: m.id, event: kind,
    fromMedianMs: entry ? centralMs(entry) : null, toMedianMs: centralMs(m)!, sha: at.sha, ...(reason ? { reason } : {}),
  });
  if ((result.verdict === 'new' && !result.unstable) || result.verdict === 'improvement') {
    return { entry: baselineEntryFor(m, result.verdict, at), event: event(result.verdict) };
  }
  if (result.verdict !== 'unchanged' || !entry) return null;
  if (result.drift === 'faster') {
    // The same machine code, significantly faster past the threshold: the entry was measured slow.
    const reason = `A/A: the same machine code measured ${(-(result.changePct ?? 0)).toFixed(1)}% faster; the stored figure was measured slow`;
    return { entry: baselineEntryFor(m, 'correction', at, reason), event: event('correction', reason) };
  }
  // The run medians measure how the same code moves from run to run (the spread a cross-run
  // verdict adds to its CI). Another code's median measures the change of code: merged in, a
  // slower one would widen every later CI and let the next slowdown through as noise.
  if (otherCode(m, entry)) return null;
  const withRun = withRunMedian(entry, centralMs(m)!, at.sha);
  const adopted = adoptsCommit(result, entry, at) ? { ...(withRun ?? entry), sha: at.sha, dirty: false } : withRun;
  return adopted ? { entry: adopted } : null;
}

/**
 * An entry stored with no commit (a repository with none yet) or from uncommitted changes takes the
 * commit of a clean run that measured the same machine code (A/A): that commit builds the code the
 * entry measured, so a later regression against it can be confirmed there. The level stays.
 */
function adoptsCommit(result: BenchmarkComparison, entry: BaselineEntry, at: StepInfo): boolean {
  return result.aa === true && at.sha !== null && at.dirty === false && (entry.sha === null || entry.dirty === true);
}

/**
 * One line when a step stored entries that a later regression cannot be confirmed against as they
 * are: with no commit (it then fails only far past any drift between runs), or from uncommitted
 * changes (its commit is not quite the code measured). Null when every entry stored has a clean commit.
 */
export function storedWithoutCommitNote(step: RatchetStep, at: StepInfo): string | null {
  const stored = step.events.length;
  if (stored === 0 || (at.sha !== null && at.dirty !== true)) return null;
  const entries = `${stored} entr${stored === 1 ? 'y' : 'ies'}`;
  const commit = 'commit, then run again on the clean tree: a run of the same code there records its commit';
  if (at.sha === null) {
    return `baseline: ${entries} stored with no commit (no commit yet, or not a git checkout): a regression against ${stored === 1 ? 'it' : 'them'} cannot be confirmed by measuring a commit, and fails only far past any drift; ${commit}`;
  }
  return `baseline: ${entries} stored from uncommitted changes on top of ${at.sha.slice(0, 12)}: a regression against ${stored === 1 ? 'it' : 'them'} is confirmed against that commit, which is not quite the code measured; ${commit}`;
}

/** Both identities known and different: the run timed other code than the entry's. */
function otherCode(m: Measurement, entry: BaselineEntry): boolean {
  return Boolean(m.kernelIdentity && entry.kernelIdentity && m.kernelIdentity !== entry.kernelIdentity);
}

/**
 * One step of the ratchet: `new` (when steady enough to store) and `improvement` verdicts move
 * their entries to the measured figures, and an A/A run significantly faster corrects its entry
 * (`correction`); an `unchanged` run of the entry's code (or of code of unknown identity) adds
 * its median to the entry's run medians (once per commit). Nothing else changes. A baseline never gets slower by itself.
 */
export function ratchet(baseline: Baseline | null, run: RunResult, comparison: Comparison, at: StepInfo): RatchetStep {
  const byId = new Map(run.measurements.map((m) => [m.id, m]));
  const previous = baseline?.devices[run.device.deviceKey]?.benchmarks ?? {};
  const entries: Record<string, BaselineEntry> = {};
  const events: HistoryEvent[] = [];
  for (const result of comparison.results) {
    const m = byId.get(result.id);
    if (!m || m.status !== 'ok' || centralMs(m) === null) continue;
    const step = stepFor(result, m, previous[m.id], run, at);
    if (!step) continue;
    entries[m.id] = step.entry;
    if (step.event) events.push(step.event);
  }
  if (Object.keys(entries).length === 0) return { baseline: baseline ?? emptyBaseline(), events, changed: false };
  return { baseline: withEntries(baseline, run, entries), events, changed: true };
}

/**
 * The one way a baseline gets slower: an explicit act with a reason, recorded in history.
 * Invalid measurements can never be accepted.
 */
export function accept(baseline: Baseline | null, run: RunResult, ids: string[] | 'all', reason: string, at: StepInfo): RatchetStep {
  if (reason.trim() === '') throw new RatchetError('ERR_RATCHET_USAGE', 'accept needs a reason (--reason "...") for the record');
  const byId = new Map(run.measurements.map((m) => [m.id, m]));
  const chosen = ids === 'all' ? run.measurements.filter((m) => m.status === 'ok') : ids.map((id) => {
    const m = byId.get(id);
    if (!m) throw new RatchetError('ERR_RATCHET_UNKNOWN_BENCHMARK', `cannot accept '${id}': not in the results (measured: ${[...byId.keys()].join(', ')})`);
    if (m.status !== 'ok') throw new RatchetError('ERR_RATCHET_USAGE', `cannot accept '${id}': it failed its correctness check`);
    return m;
  });
  const previous = baseline?.devices[run.device.deviceKey]?.benchmarks ?? {};
  const entries: Record<string, BaselineEntry> = {};
  const events: HistoryEvent[] = chosen.map((m) => {
    entries[m.id] = baselineEntryFor(m, 'accept', at, reason);
    return {
      time: at.time, deviceKey: run.device.deviceKey, benchmarkId: m.id, event: 'accept' as const,
      fromMedianMs: previous[m.id] ? centralMs(previous[m.id]!) : null, toMedianMs: centralMs(m)!, sha: at.sha, reason,
    };
  });
  return { baseline: withEntries(baseline, run, entries), events, changed: true };
}
