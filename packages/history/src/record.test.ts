import { describe, expect, it } from 'vitest';
import type { Comparison, SotaTable } from '@ratchet/types';
import { validateRunRecord } from '@ratchet/types';
import { device, runResult } from '../test/fixtures.js';
import { historyRecordFor } from './record.js';

const time = '2026-11-23T22:15:04.105Z';

describe('historyRecordFor', () => {
  it('keeps per benchmark the median, its CI, n, variant, identity, clock, rate and roof, compacted, and no samples', () => {
    const record = historyRecordFor(runResult(time, [0.08387199789285660, null]), null, { project: 'github.com/acme/kernels' });
    expect(validateRunRecord(record, 'r')).toEqual(record);
    expect(record).toMatchObject({
      schemaVersion: 1, project: 'github.com/acme/kernels', time, commit: '0123456789abcdef0123456789abcdef01234567', branch: 'main',
      dirty: false, deviceKey: 'NVIDIA-H100-80GB-HBM3/sm90', peakTflops: 1070.53, peakGBps: 3352.32,
    });
    expect(record.benchmarks[0]).toEqual({
      id: 'flash_fwd/fp16/B1_H8_S512_D64', kernel: 'flash_fwd', dtype: 'fp16', status: 'ok', variant: 'mma_br64_bc64_w4',
      kernelIdentity: `sm_90:${'ab'.repeat(8)}`, medianMs: 0.0838720, ci95MedianMs: [0.0837462, 0.0839978], n: 200,
      smClockMHz: 1980, tflops: 6.40107, gbps: 25.0042, roof: 'memory', roofFraction: 0.123457,
    });
    expect(record.benchmarks[1]).toMatchObject({ status: 'invalid', medianMs: null, ci95MedianMs: null, n: 0, smClockMHz: null, roofFraction: null });
    expect(JSON.stringify(record)).not.toMatch(/samples/);
  });

  it('takes the verdicts of the comparison and the peers that ran from a SOTA table of the same run', () => {
    const result = runResult(time);
    const comparison = {
      createdAt: time, device,
      results: [{ id: 'flash_fwd/fp16/B1_H8_S512_D64', verdict: 'regression', changePct: 4.123456789 }],
    } as unknown as Comparison;
    const sota = {
      createdAt: time, device, peers: [],
      rows: [{
        id: 'flash_fwd/fp16/B1_H8_S1024_D64', flops: 1, ours: null,
        peers: { 'torch-sdpa/flash': { status: 'ok', medianMs: 1.5, ci95MedianMs: [1.4, 1.6], tflops: 1, peakFraction: null, ourSpeedup: 1, ourSpeedupCi95: [1, 1], checksumRelDiff: null }, 'torch-sdpa/cudnn': { status: 'unsupported', reason: 'no' } },
      }],
    } as unknown as SotaTable;
    const record = historyRecordFor(result, comparison, { sota });
    expect(record.benchmarks[0]).toMatchObject({ verdict: 'regression', changePct: 4.12346 });
    expect(record.benchmarks[0]!.peers).toBeUndefined();
    expect(record.benchmarks[1]!.peers).toEqual({ 'torch-sdpa/flash': { medianMs: 1.5, ci95MedianMs: [1.4, 1.6] } });
    expect(record.benchmarks[1]!.verdict).toBeUndefined();
  });

  it('refuses a comparison of another run', () => {
    const comparison = { createdAt: '2026-01-01T00:00:00.000Z', device, results: [] } as unknown as Comparison;
    expect(() => historyRecordFor(runResult(time), comparison)).toThrow(/a comparison or SOTA table of another run/);
  });
});
