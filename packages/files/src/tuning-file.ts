import { validateTuning, type Tuning } from '@ratchet/types';
import { writeFileAtomic } from './atomic-write.js';
import { readJsonOrNone } from './read.js';

/** `.ratchet/tuning.json`, or null when there is none. */
export async function readTuning(path: string): Promise<Tuning | null> {
  return readJsonOrNone(path, validateTuning, { code: 'ERR_RATCHET_INVALID_TUNING' });
}

export async function writeTuning(path: string, tuning: Tuning): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(tuning, null, 2)}\n`);
}
