import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SotaTable } from '@ratchet/types';

/**
 * The SOTA table measured on the H100 (docs/results/2026-11-23-h100-sota.json), with one peer
 * refusing one more shape and one of our benchmarks failing its check: every kind of missing bar.
 */
export function sotaTable(): SotaTable {
  const path = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/results/2026-11-23-h100-sota.json');
  const table = JSON.parse(readFileSync(path, 'utf8')) as SotaTable;
  table.rows[1]!.peers['torch-sdpa/cudnn'] = { status: 'unsupported', reason: 'cuDNN SDPA does not support this head dim on this build' };
  table.rows[2]!.ours = null;
  return table;
}

/** The marks of the Vega mark groups of an SVG whose class starts `mark-<group>` (`rect role-mark`). */
export function marksOf(svg: string, group: string): number {
  return svg.split('<g class="mark-').filter((part) => part.startsWith(group)).reduce((n, part) => n + (part.match(/<(path|line)\b/g)?.length ?? 0), 0);
}
