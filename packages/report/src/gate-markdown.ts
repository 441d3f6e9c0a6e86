import type { Comparison, GateChanges, ThresholdChange } from '@ratchet/types';
import { escapeMarkdown } from './escape.js';

const value = (v: number | string | null) => (v === null ? 'unset' : String(v));

function thresholdLine(change: ThresholdChange): string {
  const why = change.looser ? `looser: judged at ${value(change.base)}` : `judged at ${value(change.base)}`;
  return `- \`${change.key}\`: ${value(change.base)} → ${value(change.head)} (${why})`;
}

function source(gate: GateChanges, baseSha: string): string {
  if (gate.judgedWith === 'base') return `the base's \`ratchet.config.json\` (\`${escapeMarkdown(baseSha.slice(0, 12))}\`)`;
  if (gate.judgedWith === 'defaults') return "the defaults (the base has no `ratchet.config.json`)";
  return "this pull request's `ratchet.config.json`: the base's could not be read, so this run's gate is the one under review";
}

/**
 * The lines under the verdict that say whose gate judged a relative run and what the pull request
 * changes in it: a looser threshold or a benchmark taken out of the suite leads the report, since
 * a pull request must not pass by editing the gate. Empty when the head changes nothing.
 */
export function gateLines(comparison: Comparison): string[] {
  const gate = comparison.relative?.gate;
  if (!gate) return [];
  const changes = gate.thresholds.length + gate.removed.length + gate.changed.length;
  if (changes === 0 && gate.judgedWith === 'base') return [];
  const loosens = gate.thresholds.some((t) => t.looser) || gate.removed.length > 0 || gate.judgedWith === 'head';
  const lead = loosens ? '⚠️ **This pull request loosens the gate, and does not set it**' : 'ℹ️ This pull request changes the gate';
  const lines = ['', `${lead}: judged with ${source(gate, comparison.relative!.baseSha)}.`];
  if (changes > 0) lines.push('');
  lines.push(...gate.thresholds.map(thresholdLine));
  for (const removed of gate.removed) {
    const what = removed.measured ? 'measured and judged all the same' : `not measured: ${escapeMarkdown(removed.reason ?? 'the head cannot run it')}`;
    lines.push(`- removed from the suite: ${escapeMarkdown(removed.id)} (${what})`);
  }
  if (gate.changed.length > 0) lines.push(`- also changed, the base's used: ${gate.changed.map((name) => `\`${name}\``).join(', ')}`);
  return lines;
}
