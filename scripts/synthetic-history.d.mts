import type { HistoryEvent, RunRecord } from '@ratchet/types';

export function syntheticHistory(options?: {
  benchmarks?: number;
  runs?: number;
  devices?: string[];
  project?: string;
  seed?: number;
  start?: number;
}): { records: RunRecord[]; events: HistoryEvent[] };
