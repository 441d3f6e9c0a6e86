import type { Comparison } from '@ratchet/types';

/** The machine-readable report: the Comparison itself, stable and newline-terminated. */
export function renderJson(comparison: Comparison): string {
  return `${JSON.stringify(comparison, null, 2)}\n`;
}
