// @ratchet/baseline: the verdict engine. A run against its baseline judged (compare), whether it
// may pass (gate: what fails a pull request, for every command and for ci), the next baseline and
// its moves (ratchet, accept), and what core's measuring needs to aim at a verdict
// (sensitivity) and to decide what is worth measuring again (weigh). No file system: the
// baseline and its moves log are read and written by @ratchet/files.
export { compare, withSensitivity } from './compare.js';
export type { CompareOptions } from './compare.js';
export type { CrossRun } from './cross-run.js';
export { minEffectiveSamples, rememberedStatistics, weigh } from './evidence.js';
export { gate } from './gate.js';
export type { Gate } from './gate.js';
export type { EntryStatistics, Evidence } from './evidence.js';
export { accept, baselineEntryFor, emptyBaseline, ratchet, storedWithoutCommitNote } from './ratchet.js';
export type { RatchetStep, StepInfo } from './ratchet.js';
export { aimMultiple, detectableLog } from './sensitivity.js';
