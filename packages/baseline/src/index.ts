// @ratchet/baseline: the verdict engine. A run against its baseline judged (compare), whether it
// may pass (gate: what fails a pull request, for every command and for ci), the next baseline and
// its moves (ratchet, accept), and what core's measuring needs to aim at a verdict
// (sensitivity) and to decide what is worth measuring again (weigh); the samples' digest a
// baseline keeps (digestBaseline, before every write). No file system: the
// baseline and its moves log are read and written by @ratchet/files.
export { compare, verdictOrder, withSensitivity } from './compare.js';
export type { CompareOptions } from './compare.js';
export type { CrossRun } from './cross-run.js';
// Baselines keep a digest of each entry's samples (issue 26): the writers digest before writing.
export { digestBaseline, digestGroups, undigestedEntries } from './digest.js';
export { minEffectiveSamples, rememberedStatistics, weigh } from './evidence.js';
export { gate } from './gate.js';
export type { Gate } from './gate.js';
export type { EntryStatistics, Evidence } from './evidence.js';
export { accept, baselineEntryFor, emptyBaseline, ratchet, storedWithoutCommitNote } from './ratchet.js';
export type { RatchetStep, StepInfo } from './ratchet.js';
export { aimMultiple, detectableLog, regressionLimitLog } from './sensitivity.js';
export { runToRunVariance } from './run-to-run.js';
