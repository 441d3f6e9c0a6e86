import { join } from 'node:path';
import { createOnce, readJsonOrNone } from '@ratchet/files';
import { RatchetError } from '@ratchet/types';
import { manifestPath } from './layout.js';

/** Beside the manifest: two branches that each appended runs merge line by line, without conflict. */
const gitAttributes = '# Written by ratchet: runs appended on two branches merge line by line.\n*.jsonl merge=union\n';

export const manifestFormat = 'ratchet-run-history';
export const manifestSchemaVersion = 1;

/** `history.json`: written once, when the first record is appended; never rewritten. */
export interface HistoryManifest {
  format: typeof manifestFormat;
  schemaVersion: typeof manifestSchemaVersion;
  /** The project whose runs these are (`github.com/owner/repo`); null when it had no origin. */
  project: string | null;
}

function invalid(file: string, message: string): RatchetError {
  return new RatchetError('ERR_RATCHET_INVALID_HISTORY', `${file}: ${message}`, { file });
}

function checkManifest(value: unknown, file: string): HistoryManifest {
  const manifest = value as Partial<HistoryManifest> | null;
  if (typeof manifest !== 'object' || manifest === null || manifest.format !== manifestFormat) {
    throw invalid(file, `not a run history manifest (expected "format": "${manifestFormat}")`);
  }
  if (manifest.schemaVersion !== manifestSchemaVersion) {
    throw invalid(file, `schemaVersion ${JSON.stringify(manifest.schemaVersion)} is not supported by this Ratchet (expected ${manifestSchemaVersion}): refusing the whole history`);
  }
  if (manifest.project !== null && (typeof manifest.project !== 'string' || manifest.project === '')) {
    throw invalid(file, `project: expected a non-empty string or null but received ${JSON.stringify(manifest.project)}`);
  }
  return { format: manifestFormat, schemaVersion: manifestSchemaVersion, project: manifest.project };
}

/** The manifest of `dir`; null when there is none yet. */
export async function readManifest(dir: string): Promise<HistoryManifest | null> {
  return readJsonOrNone(manifestPath(dir), checkManifest, { code: 'ERR_RATCHET_INVALID_HISTORY' });
}

/** Refuses a history that belongs to another project; unknown on either side passes. */
export function assertSameProject(manifest: HistoryManifest | null, project: string | null, dir: string, what: string): void {
  if (!manifest || manifest.project === null || project === null || manifest.project === project) return;
  throw invalid(
    manifestPath(dir),
    `the run history of project '${manifest.project}', not of '${project}' (this checkout's origin): refusing to ${what} it; pass --history with this project's history`,
  );
}

/**
 * The manifest of `dir`, created for `project` when absent. Created with O_EXCL, so two runs
 * starting a history at once agree on one file instead of overwriting each other.
 */
export async function ensureManifest(dir: string, project: string | null): Promise<HistoryManifest> {
  const existing = await readManifest(dir);
  if (existing) return existing;
  const manifest: HistoryManifest = { format: manifestFormat, schemaVersion: manifestSchemaVersion, project };
  if (!(await createOnce(manifestPath(dir), `${JSON.stringify(manifest, null, 2)}\n`))) return (await readManifest(dir))!;
  await createOnce(join(dir, '.gitattributes'), gitAttributes);
  return manifest;
}
