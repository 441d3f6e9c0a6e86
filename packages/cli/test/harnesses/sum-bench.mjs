// A harness of a user's own, as `ratchet run --command` drives it: it times two loops and writes
// Ratchet's samples format to $RATCHET_OUTPUT. How much work each does comes from passes.json
// beside the script, so a commit that raises it is a genuinely slower build.
//
// Its clock, by default, counts the additions the loops perform (1 ns each) with a seeded jitter of
// +-3% per sample, not the wall: the tests that drive it judge Ratchet's plumbing (checkouts, turns,
// verdicts), and on a busy 2-core CI machine a wall clock puts any figure anywhere, so a test on it
// would depend on the machine's load. SUM_BENCH_CLOCK=wall times with process.hrtime instead (how the
// ratchet-samples fixtures were taken, packages/core/test/fixtures/harnesses/README.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { passes } = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'passes.json'), 'utf8'));
const data = Float64Array.from({ length: 200_000 }, (_, i) => (i % 97) * 0.5);
const wallClock = process.env.SUM_BENCH_CLOCK === 'wall';

/** A linear congruential generator seeded by the side and the run Ratchet names: the same figures for the same turn, every time. */
function jitter(seedText) {
  let state = [...seedText].reduce((hash, c) => (hash * 31 + c.charCodeAt(0)) >>> 0, 17);
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return 1 + 0.06 * (state / 2 ** 32 - 0.5);
  };
}

function time(name, work, samples) {
  const next = jitter(`${name}/${process.env.RATCHET_SIDE ?? 'head'}/${process.env.RATCHET_RUN ?? '1'}`);
  const times = [];
  for (let i = 0; i < samples + 3; i += 1) {
    const start = process.hrtime.bigint();
    const additions = work();
    const us = wallClock ? Number(process.hrtime.bigint() - start) / 1e3 : (additions / 1e3) * next();
    if (i >= 3) times.push(us); // the first three warm the JIT up
  }
  return times;
}

let sink = 0;
/** Each loop returns how many additions it made: the work the default clock counts. */
const sum = () => {
  for (let pass = 0; pass < passes; pass += 1) for (let i = 0; i < data.length; i += 1) sink += data[i];
  return passes * data.length;
};
const scale = () => {
  for (let pass = 0; pass < 1; pass += 1) for (let i = 0; i < data.length; i += 1) sink += data[i] * 1.0001;
  return data.length;
};
const output = {
  format: 'ratchet-samples', version: 1, harness: { name: 'sum-bench', version: '1' }, device: { name: 'test CPU', backend: 'cpu' }, unit: 'us',
  benchmarks: [
    { name: 'sum', params: { n: data.length }, samples: time('sum', sum, 15) },
    { name: 'scale', params: { n: data.length }, samples: time('scale', scale, 15) },
  ],
};
writeFileSync(process.env.RATCHET_OUTPUT ?? 'samples.json', JSON.stringify(output));
if (sink === 42) console.log('');
