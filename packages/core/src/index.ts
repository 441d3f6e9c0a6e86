// @ratchet/core: what other tools import. The statistics, the ratchet and the report are
// re-exported so one import gives the whole pipeline; the rest is core's own.

export { compareSamples, medianCi, ratioInterval, studentTQuantile, summarize } from '@ratchet/stats';
export type { TwoSampleComparison } from '@ratchet/stats';

export { accept, compare, emptyBaseline, ratchet, storedWithoutCommitNote } from '@ratchet/baseline';

export { escapeMarkdown, newEntriesText, renderAutotuneMarkdown, renderCalibrationMarkdown, renderJson, renderMarkdown, renderSotaMarkdown, renderSotaSvg, sensitivityText, workRateText } from '@ratchet/report';
export type { CalibrationAtThreshold, MarkdownOptions, WorkRate } from '@ratchet/report';

export type { BenchmarkSession, MeasureBackend, SampleOptions } from './backend.js';
export { configFileName, configFromText, declaresOwnProblems, loadConfig, resolveConfig } from './config.js';
export { gateChanges, thresholdChanges } from './gate-changes.js';
export type { LoadedConfig } from './config.js';
export { defaultConfig, defaultPeers, defaultSuites, torchSdpaBackends } from './defaults.js';
export { judgementOutputs } from './judgement-files.js';
export { childrenExited, killGroup, spawnGroup, stopChildren } from './children.js';
export { assertAffordable, assertCallWithinLimit, callLimitMs, durationNote, estimateBenchmark, estimateSuite, formatDuration, leastCallMs } from './cost.js';
export type { CostEstimate } from './cost.js';
export { baselineDeviceNote, foreignDevice } from './device-match.js';
export { gitInfo } from './git.js';
export { measureBenchmark, measureSuite } from './measure.js';
export { roofline, withMoreSamples } from './measurement-record.js';
export { SampleSet, throttled } from './sample-set.js';
export { calibrateBenchmark, calibrationThresholds } from './calibrate.js';
export type { BenchmarkCalibration, CalibrationOptions, CalibrationPair } from './calibrate.js';
export { calibrationResults, detectionTarget, statedHolds, suiteFalseAlarmRate } from './calibration-results.js';
export type { MeasureOptions, MeasureProgress } from './measure.js';
export { bench, judge, timingMethod } from './run.js';
export type { BenchOptions, Judgement } from './run.js';
export { nextBatchSize, relativeCiHalfWidth, stopReason } from './stopping-rule.js';
export { aimFor, pairedMeetsAim, sideMeetsAim } from './sensitivity-aim.js';
export type { SensitivityAim } from './sensitivity-aim.js';
export { confirmChanges, crossRunRule, needsConfirmation } from './confirm.js';
export type { StopReason } from './stopping-rule.js';
export { closePeers, peerFault, startPeer, startPeers } from './peer.js';
export type { PeerSpec, StartedPeer } from './peer.js';
export { measureWithPeers } from './peer-pass.js';
export type { PeerColumn, PeerPassInput, PeerPassOutcome, PeerResult } from './peer-pass.js';
export { longerBudget, remeasureInconclusive, remeasureLooks } from './remeasure.js';
export { baselineFromRun, measureInterleaved, measureRelative, sameSessionThresholds, withRelativeInfo } from './relative.js';
export type { RelativeInput, RelativeOutcome } from './relative.js';
export { measureRun, runPipeline, runRelativePipeline } from './pipeline.js';
export { checkIdenticalCode, identicalCodeReason, withSkipped } from './identical-code.js';
export type { IdenticalCodeCheck, IdenticalCodeOptions } from './identical-code.js';
export type { MeasureInput, PipelineEvent, PipelineInput, PipelineOutcome } from './pipeline.js';
export { gate } from './gate.js';
export type { Gate } from './gate.js';
export { selectBenchmarks } from './suite.js';
export { checkSuite, problemCatalog, suiteFaults } from './problems.js';
export { openProblemSources } from './problem-sources.js';
export type { NativeSource, ProblemSources } from './problem-sources.js';
export { defaultProcessTimeoutMs, processProtocolVersion, pythonHelperDir, startProcessSource } from './process-source.js';
export type { ProcessPackage, ProcessSourceClient } from './process-source.js';
export { processBackend } from './process-backend.js';
export type { ProblemCatalog } from './problems.js';
export { autotuneBenchmark, chooseVariant, shareOfBudget } from './autotune.js';
export type { AutotuneProgress } from './autotune.js';
export { tunedVariants, withTuningEntry } from './tuning-file.js';
export { checkTuning, ignoredTuningNotes, legacyTuningReason, sourcesProbe, staleTuningReason } from './tuning-check.js';
export type { TuningCheck, TuningProbe } from './tuning-check.js';
export { buildSotaTable } from './sota.js';
export { simulatedBackend } from './simulated-backend.js';
export type { NoiseModel, SimulatedBackend, SimulatedBackendOptions } from './simulated-backend.js';
export { budgetForTimer, launchesForTicks, timerTickMs } from './timer-ticks.js';

export type * from '@ratchet/types';
