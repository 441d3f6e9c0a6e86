import { sortedSamples } from '@ratchet/stats';
import {
  RatchetError,
  baselineSchemaVersion,
  type Baseline,
  type BaselineEntry,
  type HistoryEvent,
  type Measurement,
  type RunResult,
  type Comparison,
} from '@ratchet/types';
import { kilocycles } from './verdict.js';

/** A baseline after one step of the ratchet, and the history lines that record the step. */
export interface RatchetStep {
  baseline: Baseline;
  events: HistoryEvent[];
}

export interface StepInfo {
  sha: string | null;
  time: string;
}

export function emptyBaseline(): Baseline {
  return { schemaVersion: baselineSchemaVersion, devices: {} };
}

/** A measurement as a baseline entry: samples (and cycles) stored ascending, identity kept. */
export function baselineEntryFor(m: Measurement, acceptedAs: BaselineEntry['acceptedAs'], at: StepInfo, reason?: string): BaselineEntry {
  // Stored ascending: later comparisons then skip sorting the baseline side.
  const samplesMs = Array.from(sortedSamples(m.samplesMs));
  const clocks = m.samplesClockMHz;
  // At one steady clock the cycles sort like the times: no second sort.
  const steady = clocks && clocks.length === samplesMs.length && clocks.every((mhz) => mhz === clocks[0]) ? clocks[0]! : null;
  const kcycles = steady === null ? kilocycles(m) : null;
  return {
    summary: m.summary!,
    samplesMs,
    ...(steady !== null ? { samplesKcycles: samplesMs.map((ms) => ms * steady) } : kcycles ? { samplesKcycles: Array.from(sortedSamples(kcycles)) } : {}),
    ...(m.kernelIdentity ? { kernelIdentity: m.kernelIdentity } : {}),
    variant: m.variant,
    sha: at.sha,
    acceptedAt: at.time,
    acceptedAs,
    ...(reason === undefined ? {} : { reason }),
  };
}

/** Writes entries into a copy of the baseline (never mutates the input). */
function withEntries(baseline: Baseline | null, run: RunResult, entries: Record<string, BaselineEntry>): Baseline {
  const base = baseline ?? emptyBaseline();
  const key = run.device.deviceKey;
  const previous = base.devices[key]?.benchmarks ?? {};
  return {
    schemaVersion: baselineSchemaVersion,
    devices: { ...base.devices, [key]: { device: run.device, benchmarks: { ...previous, ...entries } } },
  };
}

/**
 * One step of the ratchet: `new` and `improvement` verdicts move their entries to the measured
 * figures; everything else stays exactly as it was. A baseline never gets slower by itself.
 */
export function ratchet(baseline: Baseline | null, run: RunResult, comparison: Comparison, at: StepInfo): RatchetStep {
  const byId = new Map(run.measurements.map((m) => [m.id, m]));
  const entries: Record<string, BaselineEntry> = {};
  const events: HistoryEvent[] = [];
  for (const result of comparison.results) {
    if (result.verdict !== 'new' && result.verdict !== 'improvement') continue;
    const m = byId.get(result.id);
    if (!m || m.status !== 'ok' || !m.summary) continue;
    entries[m.id] = baselineEntryFor(m, result.verdict, at);
    events.push({
      time: at.time, deviceKey: run.device.deviceKey, benchmarkId: m.id, event: result.verdict,
      fromMedianMs: result.baseline?.median ?? null, toMedianMs: m.summary.median, sha: at.sha,
    });
  }
  if (events.length === 0) return { baseline: baseline ?? emptyBaseline(), events };
  return { baseline: withEntries(baseline, run, entries), events };
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
      fromMedianMs: previous[m.id]?.summary.median ?? null, toMedianMs: m.summary!.median, sha: at.sha, reason,
    };
  });
  return { baseline: withEntries(baseline, run, entries), events };
}
