// @ratchet/files: Ratchet's files on disk, on the ground floor beside @ratchet/types. Every other
// package reads and writes through here: no other package of the middle floors imports node:fs.
//   write safety   writeFileAtomic, writeOutputs/stageOutputs (a set that lands whole or not at
//                  all), replaceDirectory, appendLine, createOnce, assertWritable (before measuring)
//   the lock       acquireLock (git's index.lock, a dead holder's taken over)
//   temporaries    removeTrackedTemps (a signal handler's), removeStaleTemps (a SIGKILL's)
//   reading        readJsonOrNone/readJson (parsed, validated, errors naming file:field),
//                  readText(OrNone), readBytes, listDirectory, pathKind, modifiedTime
//   Ratchet's own  the baseline, its moves log, the tuning file, saved results and comparisons
export { writeFileAtomic } from './atomic-write.js';
export { appendLine, createOnce } from './append.js';
export { baselineJson, readBaseline, writeBaseline } from './baseline-file.js';
export { replaceDirectory } from './directory.js';
export type { DirectoryFile, DirectoryOptions } from './directory.js';
export { acquireLock } from './lock.js';
export type { HeldLock, LockHolder } from './lock.js';
export { movesWithEvents, parseMoves, readMoves, readMovesText } from './moves-log.js';
export { listDirectory, listNamesSync, modifiedTime, pathKind, readBytes, readBytesSyncOrNone, readJson, readJsonOrNone, readText, readTextOrNone, readTextSync } from './read.js';
export type { Validate } from './read.js';
export { readComparison, readRunResult, runResultJson } from './results-file.js';
export { removeStaleTemps, removeTrackedTemps } from './temp-files.js';
export { readTuning, writeTuning } from './tuning-file.js';
export { assertWritable } from './writable.js';
export { stageOutputs, writeOutputs } from './write-set.js';
export type { OutputFile, StagedOutputs } from './write-set.js';
