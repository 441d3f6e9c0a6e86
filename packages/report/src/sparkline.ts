const bars = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * Values as a row of Unicode block characters, lowest `▁`, highest `█`, scaled over their own
 * range: a trend that reads in a PR comment, a terminal or a plain-text email alike. All-equal
 * values draw a flat middle row rather than pretend a change.
 */
export function sparkline(values: readonly number[]): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return '';
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  if (high === low) return bars[3].repeat(finite.length);
  return finite.map((v) => bars[Math.round(((v - low) / (high - low)) * (bars.length - 1))]).join('');
}
