// Option values several commands parse the same way.

/** `120`, `20s`, `1.5m`, `2min` as milliseconds; null unless it is a time > 0. */
export function durationMs(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|min)?$/.exec(text.trim());
  const value = match ? Number(match[1]) * (match[2] === undefined || match[2] === 's' ? 1e3 : 60e3) : Number.NaN;
  return value > 0 ? value : null;
}
