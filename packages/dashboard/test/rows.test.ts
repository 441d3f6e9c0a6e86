// assets/rows.js as the page runs it (a classic script that sets window.ratchetRows), in a VM
// context with a bare `window`: the card's rate line in a unit that shows the figure.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const script = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../assets/rows.js'), 'utf8');
const window: { ratchetRows?: { rateText: (b: { rate: number | null; roof: string | null }) => string } } = {};
runInNewContext(script, { window });
const rateText = window.ratchetRows!.rateText;

describe('a card\'s work rate (assets/rows.js)', () => {
  it('shows a CPU card\'s figure in GFLOP/s or MFLOP/s, never "0.0 TFLOP/s"', () => {
    // ratchet bench --backend cpu on the 2-core build machine: flash_fwd B1_H2_S128_D64 at 0.00356 TFLOP/s.
    expect(rateText({ rate: 0.00356, roof: null })).toBe('3.56 GFLOP/s');
    expect(rateText({ rate: 0.0000670, roof: 'compute' })).toBe('67.0 MFLOP/s');
    expect(rateText({ rate: 0.021, roof: 'compute' })).toBe('21.0 GFLOP/s');
  });

  it('keeps a GPU card in TFLOP/s and a memory-bound one in GB/s, stepping down only below 1', () => {
    expect(rateText({ rate: 523.4, roof: 'compute' })).toBe('523 TFLOP/s');
    expect(rateText({ rate: 1.5, roof: 'compute' })).toBe('1.50 TFLOP/s');
    expect(rateText({ rate: 2880.4, roof: 'memory' })).toBe('2880 GB/s');
    expect(rateText({ rate: 0.25, roof: 'memory' })).toBe('250 MB/s');
    expect(rateText({ rate: null, roof: null })).toBe('');
  });
});
