import { describe, expect, it } from 'vitest';
import { isRatchetError, type Device } from '@ratchet/types';
import { childDeviceEnvironment, chooseDevice, parseDeviceSelector } from './device-choice.js';

const gpu = (index: number, uuid: string, name = 'NVIDIA H100 80GB HBM3'): Device => ({
  backend: 'cuda', name, deviceKey: `${name.replaceAll(' ', '-')}/sm90`, index, uuid, computeCapability: '9.0', multiprocessorCount: 132,
  l2CacheBytes: 52428800, memoryBytes: 85017493504, driverVersion: '580.159.04 (CUDA 13.0)', runtimeVersion: '13.0', smClockMHz: 1980,
  memoryClockMHz: 2619, peakBandwidthGBps: 3352.32, peakTflops: 1070.53,
});
const host = [gpu(0, 'GPU-3f2a9c1e-0d4b-4a51-9e0c-1b2c3d4e5f60'), gpu(1, 'GPU-3f2b0000-aaaa-bbbb-cccc-000000000001', 'NVIDIA H200')];

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isRatchetError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('--device', () => {
  it('reads an index or a UUID, and refuses anything else as usage', () => {
    expect(parseDeviceSelector('1')).toEqual({ index: 1 });
    expect(parseDeviceSelector('GPU-3F2A9C1E-0d4b')).toEqual({ uuid: 'gpu-3f2a9c1e-0d4b' });
    expect(refusal(() => parseDeviceSelector('-1'))).toEqual({
      code: 'ERR_RATCHET_USAGE',
      message: '--device: expected a device index (0, 1, ...) or a GPU UUID (GPU-xxxxxxxx-..., as ratchet devices lists them) but received "-1"',
    });
    expect(refusal(() => parseDeviceSelector('h100')).code).toBe('ERR_RATCHET_USAGE');
  });

  it('picks by index and by UUID, a unique prefix included; the first device when nothing is asked', () => {
    expect(chooseDevice(host, null, 'cuda')).toBe(host[0]);
    expect(chooseDevice(host, { index: 1 }, 'cuda')).toBe(host[1]);
    expect(chooseDevice(host, parseDeviceSelector('GPU-3f2a9c1e-0d4b-4a51-9e0c-1b2c3d4e5f60'), 'cuda')).toBe(host[0]);
    expect(chooseDevice(host, parseDeviceSelector('GPU-3f2b'), 'cuda')).toBe(host[1]);
  });

  it('refuses a device that is not there, listing those that are (exit 3: the environment)', () => {
    expect(refusal(() => chooseDevice(host, { index: 2 }, 'cuda', undefined))).toEqual({
      code: 'ERR_RATCHET_NO_DEVICE',
      message: '--device 2: no such cuda device; the cuda devices here are 0: NVIDIA H100 80GB HBM3 (GPU-3f2a9c1e-0d4b-4a51-9e0c-1b2c3d4e5f60); 1: NVIDIA H200 (GPU-3f2b0000-aaaa-bbbb-cccc-000000000001). ratchet devices lists them',
    });
    expect(refusal(() => chooseDevice(host.slice(0, 1), { index: 1 }, 'cuda', '2')).message).toContain('(CUDA_VISIBLE_DEVICES=2 leaves only these, numbered from 0)');
    expect(refusal(() => chooseDevice(host, parseDeviceSelector('GPU-3f2'), 'cuda')).message).toContain('gpu-3f2 names 2 of them: give more of the UUID');
    expect(refusal(() => chooseDevice([], { index: 0 }, 'cuda')).message).toContain('there is no cuda device here');
  });

  it('hands a chosen GPU to child processes by UUID, and nothing when none was chosen', () => {
    expect(childDeviceEnvironment(host[1]!, { index: 1 })).toEqual({ CUDA_VISIBLE_DEVICES: 'GPU-3f2b0000-aaaa-bbbb-cccc-000000000001' });
    expect(childDeviceEnvironment(host[1]!, null)).toBeNull();
  });
});
