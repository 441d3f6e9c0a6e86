import { describe, expect, it } from 'vitest';
import type { Device, SotaTable } from '@ratchet/types';
import { renderSotaMarkdown, tflopsText } from './sota-markdown.js';
import { renderSotaSvg } from './sota-svg.js';

const cpu: Device = {
  backend: 'cpu', name: 'AMD EPYC 7B13', deviceKey: 'cpu/x86_64/AMD-EPYC-7B13', computeCapability: null, multiprocessorCount: 2, l2CacheBytes: null,
  memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
};
const table = (device: Device): SotaTable => ({
  createdAt: '2026-12-01T00:00:00.000Z',
  device,
  peers: [{ name: 'torch-sdpa/math', status: 'ok', reason: null, software: null }],
  rows: [{
    id: 'flash_fwd/fp16/B1_H1_S128_D32', flops: 2_097_152,
    ours: { medianMs: 0.0985, ci95MedianMs: [0.097, 0.1], tflops: 0.0213, peakFraction: null },
    peers: { 'torch-sdpa/math': { status: 'ok', medianMs: 0.2, ci95MedianMs: [0.19, 0.21], tflops: 0.0105, peakFraction: null, ourSpeedup: 2.03, ourSpeedupCi95: [1.9, 2.1], checksumRelDiff: null } },
  }],
});

describe('renderSotaMarkdown on the CPU backend', () => {
  it('names the CPU, not a GPU, and prints small TFLOP/s figures with their digits', () => {
    const text = renderSotaMarkdown(table(cpu));
    expect(text).toContain('AMD EPYC 7B13 (`cpu/x86\\_64/AMD-EPYC-7B13`), 2026-12-01, peak unknown. Same CPU, same session, same inputs.');
    expect(text).not.toMatch(/GPU|0\.0 /);
    expect(text).toMatch(/\| 0\.0213 \| n\/a \|/);
    expect(text).toMatch(/\| 0\.0105 \| n\/a \|/);
  });
  it('draws the CPU chart without calling it a GPU', async () => {
    expect(await renderSotaSvg(table(cpu))).not.toMatch(/GPU/);
  });
  it('keeps GPU figures as they were: three digits, whole numbers from 100 up', () => {
    expect(renderSotaMarkdown(table({ ...cpu, backend: 'cuda', peakTflops: 989 }))).toContain('peak 989 TFLOP/s dense fp16. Same GPU, same session');
    expect([tflopsText(412.6), tflopsText(87.25), tflopsText(0.0213)]).toEqual(['413', '87.3', '0.0213']);
  });
});
