import { join } from 'node:path';

/**
 * A run history is a directory (docs/dashboard.md):
 *
 *   history.json                          the manifest: which project this history belongs to
 *   <device>/<YYYY-MM>.jsonl              one line per run on that device, appended, never rewritten
 *
 * One directory per device, so runners of two GPUs never append to the same file; one file per
 * month, so no file grows without bound and every month but the current one is immutable in git.
 */
export const manifestFileName = 'history.json';
export const shardExtension = '.jsonl';

/** A device key as a directory name: `NVIDIA-H100-80GB-HBM3/sm90` -> `NVIDIA-H100-80GB-HBM3_sm90`. */
export function deviceDirName(deviceKey: string): string {
  return deviceKey.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** The shard a record of `time` on `deviceKey` belongs to (months in UTC). */
export function shardPath(dir: string, deviceKey: string, time: string): string {
  return join(dir, deviceDirName(deviceKey), `${new Date(time).toISOString().slice(0, 7)}${shardExtension}`);
}

export function manifestPath(dir: string): string {
  return join(dir, manifestFileName);
}
