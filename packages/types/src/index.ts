export { RatchetError, errorCodes, isRatchetError } from './errors.js';
export type { RatchetErrorCode, RatchetErrorDetails } from './errors.js';

export {
  attentionBytes,
  attentionFlops,
  benchmarkId,
  benchmarkParams,
  dtypeBytes,
  dtypes,
  idSegmentPattern,
  isBenchmarkId,
  paramNamePattern,
} from './benchmark.js';
export type { AttentionShape, Benchmark, Dtype, ParamValue } from './benchmark.js';
export type { ParamSpec, ProblemSource, ProblemSpec, Work } from './problem.js';
export { benchmarkFaults, benchmarkForm, checkBenchmarkAgainst, closestName } from './validate-benchmark.js';
export { validateProblemSpec } from './validate-problem.js';

export { backends, deviceKind } from './device.js';
export type { Backend, Device } from './device.js';
export { mergedSchemaVersion } from './shard.js';
export type { MergedComparisons, MergedShard, ShardStamp } from './shard.js';

export { runResultSchemaVersion } from './measurement.js';
export type {
  ClockReading,
  Correctness,
  GitInfo,
  Interval,
  KernelCode,
  Measurement,
  MeasurementStatus,
  SampleBatch,
  RunResult,
  SampleOptions,
  Summary,
  TimingMethod,
} from './measurement.js';

export { baselineSchemaVersion, runMediansKept } from './baseline.js';
export type { Baseline, BaselineEntry, DeviceBaseline, HistoryEvent, MoveEvent, RunMedian } from './baseline.js';
export { expandDigest } from './samples-digest.js';
export type { EntryDigest, SamplesDigest } from './samples-digest.js';

export { comparisonSchemaVersion, verdicts } from './comparison.js';
export type { BenchmarkComparison, Comparison, CyclesComparison, DetectionRule, ErrorControl, GateChanges, RelativeCost, RelativeInfo, RemovedBenchmark, RunSensitivity, Sensitivity, ThresholdChange, Thresholds, Verdict } from './comparison.js';

export type { BuildSpec, MeasureBudget, ProcessSource, RatchetConfig, RatchetPaths } from './config.js';

export type { PeerStatus, SotaFigure, SotaPeerCell, SotaRow, SotaTable } from './sota.js';
export type { RatchetConfigInput } from './config.js';
export { maxTimerMs } from './_check.js';
export {
  maxJsonDepth,
  parseJsonText,
  validateBaseline,
  validateBenchmark,
  validateComparison,
  validateMergedComparisons,
  isMergedComparisons,
  validateConfigInput,
  validateHistoryEvent,
  validateMoveEvent,
  validateRunResult,
  validateTuning,
} from './validate.js';
export { runRecordSchemaVersion } from './run-record.js';
export type { RunRecord, RunRecordBenchmark, RunRecordPeer } from './run-record.js';
export { validateRunRecord } from './validate-run-record.js';
export { tuningSchemaVersion } from './tuning.js';
export type { Tuning, TuningCandidate, TuningEntry } from './tuning.js';
export type { CalibrationRow, SensitivityRow } from './calibration.js';
export { centralMs, reportedCentralMs, reportedCentralName } from './imported.js';
export type { EvidenceLevel, ImportedFrom, ReportedKind, ReportedStatistics } from './imported.js';
export { importFormats } from './import-formats.js';
export type { ImportFormat } from './import-formats.js';
export { samplesFileVersion, samplesUnits, validateSamplesFile } from './samples-file.js';
export type { SamplesFile, SamplesFileBenchmark, SamplesUnit } from './samples-file.js';
export { checkSchema, matches } from './schema-check.js';
export { schemaBaseUrl, schemaFiles, schemaFileText, schemaReference } from './schema-files.js';
export { BaselineSchema, HistoryEventSchema } from './baseline.js';
export { RatchetConfigInputSchema } from './config.js';
export { RunRecordSchema } from './run-record.js';
export { RunResultSchema } from './measurement.js';
export { ComparisonSchema } from './comparison.js';
export { TuningSchema } from './tuning.js';
export {
  CheckReplySchema, CheckRequestSchema, ChecksumSchema, CloseReplySchema, CloseRequestSchema, DeclaredProblemSchema, FailureReplySchema, HelloReplySchema,
  HelloRequestSchema, OpenReplySchema, OpenRequestSchema, ProtocolCorrectnessSchema, ProtocolMessageSchema, ReplyEnvelopeSchema, SampleReplySchema,
  SampleRequestSchema, VariantsReplySchema, VariantsRequestSchema, WorkSchema, protocolReplies, protocolRequests,
} from './protocol.js';
export type { FailureReply, HelloReply, OpenReply, ProtocolCorrectness, ProtocolOp, ProtocolRequest } from './protocol.js';
