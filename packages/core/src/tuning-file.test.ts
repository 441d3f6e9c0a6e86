import { describe, expect, it } from 'vitest';
import type { Benchmark, Tuning, TuningEntry } from '@ratchet/types';
import { simulatedBackend } from './simulated-backend.js';
import { tunedVariants } from './tuning-file.js';

const device = simulatedBackend({ medianMs: 1, sigma: 0.01 }, { seed: 1 }).device;
const shape = (S: number): Benchmark => ({ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S, D: 128, causal: false });
const entry = (variant: string, defaultVariant: string): TuningEntry => ({
  variant, defaultVariant, speedup: variant === defaultVariant ? 1 : 1.03, confidence: 0.975, candidates: [], tunedAt: '2026-12-01T00:00:00.000Z', sha: null,
});

describe('tunedVariants', () => {
  it('pins a variant that beat its default, and leaves a benchmark whose default won to whatever the default is now', () => {
    const tuning: Tuning = {
      schemaVersion: 3,
      devices: { [device.deviceKey]: { deviceName: device.name, benchmarks: { 'flash_fwd/fp16/B1_H1_S512_D128': entry('v5', 'v6'), 'flash_fwd/fp16/B1_H1_S1024_D128': entry('v6', 'v6') } } },
    };
    const { variantFor, note } = tunedVariants(tuning, device);
    expect(variantFor(shape(512))).toBe('v5');
    expect(variantFor(shape(1024))).toBeUndefined();
    expect(variantFor(shape(2048))).toBeUndefined();
    expect(note).toBeNull();
  });
});
