// Seeded noise for the tests: the same samples on every run, no wall time anywhere.

/** mulberry32: a seeded generator. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
}

export function lognormal(random: () => number, n: number, median: number, sigma: number): number[] {
  return Array.from({ length: n }, () => median * Math.exp(sigma * gaussian(random)));
}

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
