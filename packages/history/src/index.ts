// @ratchet/history: the run history. One compact record per run per device (no samples),
// appended to monthly JSONL shards, read back with every bad line reported.

export { appendRunRecord, assertAppendable } from './append.js';
export { importSavedRuns, notYetRecorded } from './import.js';
export type { ImportOutcome, SkippedFile } from './import.js';
export { deviceDirName, manifestFileName, shardPath } from './layout.js';
export { readManifest } from './manifest.js';
export type { HistoryManifest } from './manifest.js';
export { commitUrlPrefix, pagesUrl, projectFromRemoteUrl, projectOf } from './project.js';
export { readRunHistory, scanRunHistory } from './read.js';
export type { ReadOptions, RunHistory, ScanOutcome, SkippedLine } from './read.js';
export { compact, historyRecordFor } from './record.js';
export type { RecordOptions } from './record.js';
export { parquetColumns, parquetExport, parquetFormat, parquetOfRecords, recordsOfParquet } from './parquet.js';
export type { ParquetColumn, ParquetExportFile, SkippedRow } from './parquet.js';
export { recentMedians } from './trend.js';
export { detectDrift, driftMinRuns, driftRecent, driftReference, driftSpreads, driftWindow, judgeSeries } from './drift.js';
export type { DeviceDrift, DriftFinding, DriftOptions, DriftPoint } from './drift.js';
