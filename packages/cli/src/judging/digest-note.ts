// The one line that says a baseline written by this command was migrated to digests (issue 26):
// entries from before kept every sample; the first command that writes the file digests them all.
import { statSync } from 'node:fs';
import { digestGroups, undigestedEntries } from '@ratchet/baseline';
import type { OutputFile } from '@ratchet/files';
import type { Baseline } from '@ratchet/types';
import { displayPath, type CommandContext } from '../context.js';

const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} KB`);

/**
 * The line to print once `files` (which rewrite the baseline at `path`) have landed, when `before`
 * (the baseline as read) held entries with every sample; null otherwise. Read before the write,
 * for the size the file had.
 */
export function migrationNote(before: Baseline | null, files: readonly OutputFile[], path: string, context: CommandContext): string | null {
  const written = files.find((file) => file.path === path);
  const migrated = undigestedEntries(before);
  if (!written || migrated === 0) return null;
  let old = 0;
  try {
    old = statSync(path).size;
  } catch {
    return null;
  }
  const now = typeof written.text === 'string' ? Buffer.byteLength(written.text) : written.text.byteLength;
  return `baseline: ${migrated} entr${migrated === 1 ? 'y' : 'ies'} of ${displayPath(path, context.cwd)} migrated from every sample to a digest (at most ${digestGroups} runs of samples each; the file ${size(old)} -> ${size(now)}); raw samples stay in results files and CI artifacts`;
}
