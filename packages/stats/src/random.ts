// Seeded randomness for simulations and tests: the same samples on every run, no wall time anywhere.

/** mulberry32: a small seeded generator of uniforms in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** One standard normal draw (Box-Muller). */
export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
}

/** `n` lognormal samples around `median`, with `sigma` the spread of their log. */
export function lognormal(random: () => number, n: number, median: number, sigma: number): number[] {
  return Array.from({ length: n }, () => median * Math.exp(sigma * gaussian(random)));
}
