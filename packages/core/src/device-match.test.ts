import { describe, expect, it } from 'vitest';
import type { Baseline, Device, RunResult } from '@ratchet/types';
import { baselineDeviceNote, foreignDevice } from './device-match.js';

const cpu = { backend: 'cpu', name: 'AMD EPYC (single-threaded reference)', deviceKey: 'cpu/x86_64/AMD-EPYC' } as Device;
const h100 = { backend: 'cuda', name: 'NVIDIA H100 80GB HBM3', deviceKey: 'NVIDIA-H100-80GB-HBM3/sm90' } as Device;

describe('baselineDeviceNote', () => {
  it('says in one line when the baseline holds other devices only', () => {
    const baseline = { schemaVersion: 2, devices: { [h100.deviceKey]: { device: h100, benchmarks: {} } } } as Baseline;
    expect(baselineDeviceNote(baseline, cpu.deviceKey)).toBe('the baseline has no entries for cpu/x86_64/AMD-EPYC (only NVIDIA-H100-80GB-HBM3/sm90): every benchmark is new on this device');
    expect(baselineDeviceNote(baseline, h100.deviceKey)).toBeNull();
    expect(baselineDeviceNote(null, cpu.deviceKey)).toBeNull();
  });
});

describe('foreignDevice', () => {
  const result = (device: Device) => ({ device }) as RunResult;
  it('accepts a results file of a device this machine has', () => {
    expect(foreignDevice(result(cpu), [cpu])).toBeNull();
  });
  it('names a relabelled key (this machine\'s name under another device\'s key) and what this machine has', () => {
    expect(foreignDevice(result({ ...cpu, deviceKey: h100.deviceKey }), [cpu])).toBe(
      'measured on "AMD EPYC (single-threaded reference)" [NVIDIA-H100-80GB-HBM3/sm90], but this machine has "AMD EPYC (single-threaded reference)" [cpu/x86_64/AMD-EPYC]',
    );
    expect(foreignDevice(result(h100), [])).toBe('measured on "NVIDIA H100 80GB HBM3" [NVIDIA-H100-80GB-HBM3/sm90], but this machine has no cuda device');
  });
});
