// Seeded noise for the tests: the same samples on every run, no wall time anywhere.

import { gaussian } from '../src/random.js';

export { gaussian, lognormal, seededRandom as seeded } from '../src/random.js';

/** Lognormal samples whose log follows an AR(1) process with lag-1 correlation rho (stationary from the start). */
export function autocorrelated(random: () => number, n: number, median: number, sigma: number, rho: number): number[] {
  let e = gaussian(random);
  return Array.from({ length: n }, () => {
    const value = median * Math.exp(sigma * e);
    e = rho * e + Math.sqrt(1 - rho * rho) * gaussian(random);
    return value;
  });
}

/** Durations read off a timer that ticks every `tick`, at a random phase (as CUDA events are). */
export function ticked(random: () => number, samples: number[], tick: number): number[] {
  return samples.map((ms) => Math.max(1, Math.floor(ms / tick + random())) * tick);
}

/**
 * Runs `trial` `trials` times (0-based) and returns, per name it answers, the share of trials in
 * which that answer was true: a coverage or a rejection rate over seeded simulations.
 */
export function shares<K extends string>(trials: number, trial: (t: number) => Record<K, boolean>): Record<K, number> {
  const counts = {} as Record<K, number>;
  for (let t = 0; t < trials; t += 1) {
    for (const [name, seen] of Object.entries(trial(t)) as [K, boolean][]) counts[name] = (counts[name] ?? 0) + (seen ? 1 : 0);
  }
  return Object.fromEntries(Object.entries(counts).map(([name, count]) => [name, (count as number) / trials])) as Record<K, number>;
}
