// @ratchet/core: the pipeline other tools import, and nothing else: what is not exported here is
// internal and may change. The contract's types are @ratchet/types', the verdict engine
// @ratchet/baseline's, files @ratchet/files', renderings @ratchet/report's.

// The configuration: ratchet.config.json read, validated and laid over the defaults.
export { configFileName, configFromText, declaresOwnProblems, loadConfig, resolveConfig } from './config.js';
export type { LoadedConfig } from './config.js';
export { defaultConfig, defaultPeers } from './defaults.js';

// Where measurements come from: sessions opened on the problem sources of a config (built-in,
// plugins, processes), one process source, or a simulated device.
export type { BenchmarkSession, MeasureBackend } from './backend.js';
export { openProblemSources } from './problem-sources.js';
export type { ProblemSources } from './problem-sources.js';
export { startProcessSource } from './process-source.js';
export { simulatedBackend } from './simulated-backend.js';

// The suite: checked against the problems declared, the ids asked for selected.
export { checkSuite, suiteFaults } from './problems.js';
export type { ProblemCatalog } from './problems.js';
export { selectBenchmarks } from './suite.js';

// Another harness's output read as a run (nvbench, Google Benchmark, pytest-benchmark, Triton,
// Ratchet's samples file), and that harness run again and again as a source (run --command).
export { readImport } from './import/read-import.js';
export type { ImportReadOptions } from './import/read-import.js';
export { judgeHarnessRuns, measureHarnessRuns } from './harness-runs.js';
export type { HarnessSide } from './harness-runs.js';

// run (measure, judge, re-measure, confirm, ratchet, gate), run --base, a saved run judged.
export { foreignDevice } from './device-match.js';
export { gateChanges } from './gate-changes.js';
export type { IdenticalCodeOptions } from './identical-code.js';
export { measureRun, runPipeline, runRelativePipeline } from './pipeline.js';
export { baselineFromRun } from './relative.js';
export type { PipelineEvent, PipelineInput, PipelineOutcome } from './pipeline.js';
export { remeasureLooks } from './remeasure.js';
export { judge } from './run.js';
export type { Judgement } from './run.js';

// Fleets: a shard of the suite (`--shard i/n`, judged in the whole suite's family) and the shards
// of one commit merged into one comparison per device.
export { formatDuration } from './cost.js';
export { parseShard, shardScope, sliceShard } from './shard.js';
export type { ShardScope, ShardSlice } from './shard.js';
export { mergeShards, suiteHash } from './merge.js';
export type { MergeOutcome, ShardFiles } from './merge.js';

// autotune and the tuning file's entries, calibrate, the peers (sota).
export { autotuneSuite } from './autotune.js';
export type { AutotuneProgress, TuningTask } from './autotune.js';
export { checkTuning } from './tuning-check.js';
export { withTuningEntry } from './tuning-file.js';
export { calibrateBenchmark } from './calibrate.js';
export { calibrateSuite, calibrationResults } from './calibration-results.js';
export type { BenchmarkCalibration, CalibrationOptions } from './calibrate.js';
export { closePeers, startPeers } from './peer.js';
export type { PeerSpec } from './peer.js';
export { measureWithPeers } from './peer-pass.js';
export type { PeerColumn } from './peer-pass.js';

// Child processes (process sources, peers, a build): started in groups, stopped together on a signal.
export { spawnGroup, stopChildren } from './children.js';
