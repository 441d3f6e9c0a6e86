// A CUDA fault inside a plugin's kernel, in a file of its own: the fault leaves this process's CUDA
// context unusable for good, so nothing else may run after it here.
import { describe, expect, it } from 'vitest';
import type { Benchmark } from '@ratchet/types';
import { loadNative } from '../lib/index.js';
import { pluginPath, pluginUnavailable } from './plugins.js';

const native = loadNative();
const hasCuda = native.devices('cuda').length > 0;
const unavailable = hasCuda ? pluginUnavailable('cuda-fault') : `no CUDA device: ${native.unavailableReason('cuda') ?? ''}`;

describe.skipIf(unavailable !== null)(`a CUDA fault in a plugin's kernel${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('fails that session with the CUDA error, poisons the device, and every later open refuses cleanly', async () => {
    native.loadPlugin(pluginPath('cuda-fault'));
    // The session launches once when it opens (before capturing a launch for its identity): the
    // fault surfaces there.
    expect(() => native.open('cuda', { kernel: 'cuda_fault', failIn: 'fault', n: 4096 })).toThrow(
      expect.objectContaining({ code: 'ERR_RATCHET_CUDA', message: expect.stringMatching(/^cudaStreamSynchronize\(stream_\.handle\) failed at cuda_harness\.cu:\d+: cudaErrorIllegalAddress .*; the CUDA context is now unusable in this process$/) }),
    );
    const later: Benchmark[] = [{ kernel: 'cuda_fault', failIn: 'none', n: 16 }, { kernel: 'rmsnorm', dtype: 'fp16', rows: 4, cols: 64 }];
    for (const benchmark of later) {
      expect(() => native.open('cuda', benchmark)).toThrow(
        expect.objectContaining({ code: 'ERR_RATCHET_DEVICE_UNUSABLE', message: expect.stringMatching(/^a previous CUDA error \(cudaErrorIllegalAddress in .*\) left the device unusable; restart the process$/) }),
      );
    }
    // The CPU backend is untouched.
    const cpu = native.open('cpu', { kernel: 'rmsnorm', dtype: 'fp16', rows: 4, cols: 64 });
    expect((await cpu.check()).passed).toBe(true);
    cpu.close();
  }, 120_000);
});
