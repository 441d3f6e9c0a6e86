#!/usr/bin/env node
// A small peer written for the protocol tests: it really reads the request on stdin and times a
// real computation per benchmark. Its behaviour is chosen by argv[2]: ok, unavailable, crash,
// hang, garbage, unsupported, wrong-protocol, invalid.
import { readFileSync } from 'node:fs';

const mode = process.argv[2] ?? 'ok';
const request = JSON.parse(readFileSync(0, 'utf8'));
const idOf = (b) => `${b.kernel}/${b.dtype}/B${b.B}_H${b.H}_S${b.S}_D${b.D}${b.causal ? '_causal' : ''}`;

function work(n) {
  let acc = 0;
  for (let i = 0; i < n; i += 1) acc += Math.sqrt(i);
  return acc;
}

function samples(b, count) {
  return Array.from({ length: count }, () => {
    const start = performance.now();
    work(b.S * b.D * 10);
    return Math.max(performance.now() - start, 1e-6);
  });
}

const correctness = { passed: true, maxAbsError: 0, relError: 0, tolerance: 1e-3, reference: 'fake' };
switch (mode) {
  case 'unavailable':
    console.log(JSON.stringify({ protocol: 1, status: 'unavailable', reason: 'no torch here', results: [] }));
    break;
  case 'crash':
    process.stderr.write('Traceback (most recent call last):\nRuntimeError: CUDA error: out of memory\n');
    process.exit(7);
    break;
  case 'hang':
    setInterval(() => {}, 1000);
    break;
  case 'garbage':
    console.log('this is not json {');
    break;
  case 'wrong-protocol':
    console.log(JSON.stringify({ protocol: 99, status: 'ok', results: [] }));
    break;
  default:
    console.log(
      JSON.stringify({
        protocol: 1,
        status: 'ok',
        device: { name: 'cpu', software: `node ${process.version}` },
        results: request.benchmarks.map((b, i) =>
          mode === 'unsupported' && i === 0
            ? { id: idOf(b), status: 'unsupported', reason: 'head dim 16 not supported', samplesMs: [], correctness: null, checksum: null }
            : mode === 'invalid'
              ? { id: idOf(b), status: 'ok', samplesMs: [], correctness: { ...correctness, passed: false, relError: 0.5, detail: 'relative error 5e-1' }, checksum: null }
              : { id: idOf(b), status: 'ok', samplesMs: samples(b, request.timing.samples), correctness, checksum: { sum: 1, absSum: 10 } },
        ),
      }),
    );
}
