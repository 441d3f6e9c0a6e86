import { validateBaseline, type Baseline } from '@ratchet/types';
import { writeFileAtomic } from './atomic-write.js';
import { readJsonOrNone } from './read.js';

/** The baseline at `path`; null when there is none yet. Never modifies the file. */
export async function readBaseline(path: string): Promise<Baseline | null> {
  return readJsonOrNone(path, validateBaseline, { code: 'ERR_RATCHET_INVALID_BASELINE' });
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** An array of numbers alone, as JSON.stringify(..., 2) lays it out: one number a line. */
const numberArray = /\[(?:\s*-?\d[\d.eE+-]*,)*\s*-?\d[\d.eE+-]*\s*\]/g;

/**
 * Stable text: devices and benchmarks sorted, 2-space indent, so baseline diffs in git stay small;
 * an array of numbers on one line (a digest's run, a CI), which a digest's 64 runs need to stay
 * a few KB (one number a line, they were three times that).
 */
export function baselineJson(baseline: Baseline): string {
  const devices = Object.fromEntries(
    Object.entries(sortedKeys(baseline.devices)).map(([key, d]) => [key, { device: d.device, benchmarks: sortedKeys(d.benchmarks) }]),
  );
  const text = JSON.stringify({ schemaVersion: baseline.schemaVersion, devices }, null, 2);
  return `${text.replace(numberArray, (array) => `[${array.slice(1, -1).split(',').map((item) => item.trim()).join(', ')}]`)}\n`;
}

export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  await writeFileAtomic(path, baselineJson(baseline));
}
