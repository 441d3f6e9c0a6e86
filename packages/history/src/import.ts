import { readText } from '@ratchet/files';
import {
  isRatchetError,
  parseJsonText,
  validateComparison,
  validateRunResult,
  type Comparison,
  type RunRecord,
  type RunResult,
  type SotaTable,
} from '@ratchet/types';
import { historyRecordFor } from './record.js';

/** A file (or a part of one) the importer did not turn into a record, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ImportOutcome {
  /** One record per RunResult file, oldest first. */
  records: RunRecord[];
  skipped: SkippedFile[];
}

type Saved =
  | { kind: 'run'; file: string; value: RunResult }
  | { kind: 'comparison'; file: string; value: Comparison }
  | { kind: 'sota'; file: string; value: SotaTable };

function isSotaTable(value: unknown): value is SotaTable {
  const table = value as Partial<SotaTable> | null;
  return (
    typeof table === 'object' && table !== null && typeof table.createdAt === 'string' && typeof table.device?.deviceKey === 'string' &&
    Array.isArray(table.rows) && table.rows.every((row) => typeof row?.id === 'string' && typeof row.peers === 'object' && row.peers !== null)
  );
}

/** What a saved JSON file is: a RunResult, a comparison, a SOTA table, or the reason it is none. */
function classify(file: string, text: string): Saved | SkippedFile {
  try {
    const value = parseJsonText(text, file, 'ERR_RATCHET_INVALID_RESULTS') as Record<string, unknown> | null;
    if (value && 'measurements' in value) return { kind: 'run', file, value: validateRunResult(value, file) };
    if (value && 'results' in value && 'counts' in value) return { kind: 'comparison', file, value: validateComparison(value, file) };
    if (value && 'rows' in value && 'peers' in value) {
      return isSotaTable(value) ? { kind: 'sota', file, value } : { file, reason: 'looks like a SOTA table but its rows or device do not match that shape' };
    }
    return { file, reason: 'not a RunResult (no "measurements"): a calibration or another report, nothing to record' };
  } catch (error) {
    if (!isRatchetError(error)) throw error;
    return { file, reason: error.message.startsWith(`${file}: `) ? error.message.slice(file.length + 2) : error.message };
  }
}

const runKey = (deviceKey: string, createdAt: string) => `${deviceKey}\u0000${createdAt}`;

/**
 * Records for the runs already saved (docs/results/*.json): one per RunResult, with the verdicts
 * of a comparison and the peers of a SOTA table of the same run (same device, same start time)
 * attached. Everything else is listed in `skipped` with the reason: nothing is dropped unsaid.
 */
export async function importSavedRuns(files: readonly string[], options: { project?: string | null } = {}): Promise<ImportOutcome> {
  const saved: Saved[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of [...files].sort()) {
    const outcome = classify(file, await readText(file, { code: 'ERR_RATCHET_INVALID_RESULTS' }));
    if ('kind' in outcome) saved.push(outcome);
    else skipped.push(outcome);
  }
  const runs = saved.filter((s): s is Extract<Saved, { kind: 'run' }> => s.kind === 'run');
  const byRun = new Map(runs.map((run) => [runKey(run.value.device.deviceKey, run.value.createdAt), { comparison: null as Comparison | null, sota: null as SotaTable | null }]));
  for (const item of saved) {
    if (item.kind === 'run') continue;
    const attached = byRun.get(runKey(item.value.device.deviceKey, item.value.createdAt));
    const what = item.kind === 'comparison' ? 'a comparison' : 'a SOTA table';
    if (!attached) skipped.push({ file: item.file, reason: `${what} of a run (${item.value.device.deviceKey} at ${item.value.createdAt}) whose RunResult is not among these files: nothing to attach it to` });
    else if (item.kind === 'comparison') attached.comparison = item.value;
    else attached.sota = item.value;
  }
  const records = runs.map((run) => {
    const attached = byRun.get(runKey(run.value.device.deviceKey, run.value.createdAt))!;
    return historyRecordFor(run.value, attached.comparison, { project: options.project ?? null, sota: attached.sota });
  });
  records.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return { records, skipped };
}

/**
 * The records not yet in the history (same device and start time, the same instant however the
 * time is written: a Parquet export writes it back as milliseconds), so importing twice adds nothing.
 */
export function notYetRecorded(existing: readonly RunRecord[], imported: readonly RunRecord[]): RunRecord[] {
  const instant = (r: RunRecord) => runKey(r.deviceKey, String(Date.parse(r.time)));
  const have = new Set(existing.map(instant));
  return imported.filter((r) => !have.has(instant(r)));
}
