// A harness of a user's own, as `ratchet run --command` drives it: it times two loops with
// process.hrtime and writes Ratchet's samples format to $RATCHET_OUTPUT. How much work each does
// comes from passes.json beside the script, so a commit that raises it is a genuinely slower build.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { passes } = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'passes.json'), 'utf8'));
const data = Float64Array.from({ length: 200_000 }, (_, i) => (i % 97) * 0.5);

function time(work, samples) {
  const times = [];
  for (let i = 0; i < samples + 3; i += 1) {
    const start = process.hrtime.bigint();
    work();
    const us = Number(process.hrtime.bigint() - start) / 1e3;
    if (i >= 3) times.push(us); // the first three warm the JIT up
  }
  return times;
}

let sink = 0;
const sum = () => {
  for (let pass = 0; pass < passes; pass += 1) for (let i = 0; i < data.length; i += 1) sink += data[i];
};
const scale = () => {
  for (let pass = 0; pass < 1; pass += 1) for (let i = 0; i < data.length; i += 1) sink += data[i] * 1.0001;
};
const output = {
  format: 'ratchet-samples', version: 1, harness: { name: 'sum-bench', version: '1' }, device: { name: 'test CPU', backend: 'cpu' }, unit: 'us',
  benchmarks: [
    { name: 'sum', params: { n: data.length }, samples: time(sum, 15) },
    { name: 'scale', params: { n: data.length }, samples: time(scale, 15) },
  ],
};
writeFileSync(process.env.RATCHET_OUTPUT ?? 'samples.json', JSON.stringify(output));
if (sink === 42) console.log('');
