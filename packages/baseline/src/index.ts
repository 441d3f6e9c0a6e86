export { writeFileAtomic } from './atomic-write.js';
export { baselineJson, readBaseline, writeBaseline } from './baseline-file.js';
export { compare } from './compare.js';
export { appendHistory, readHistory } from './history-file.js';
export { accept, baselineEntryFor, emptyBaseline, ratchet } from './ratchet.js';
export type { RatchetStep, StepInfo } from './ratchet.js';
export { judgeBenchmark, kilocycles } from './verdict.js';
