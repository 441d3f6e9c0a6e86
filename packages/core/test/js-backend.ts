import { attentionFlops, attentionBytes, type AttentionShape, type Benchmark, type ClockReading, type Correctness, type Device, type SampleBatch } from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend, SampleOptions } from '../src/backend.js';

/**
 * A real, if slow, backend for core's tests: attention in plain JS over Float64Arrays, timed
 * with performance.now. `slowdown` repeats the kernel to make a known, real regression, and
 * `corrupt` breaks the output so the correctness gate has something to catch. `sampleClockMHz`
 * stands in for a per-sample clock reading; `kernelIdentity` for the build's identity file (one
 * for every benchmark, or per benchmark), and `identityCoversCode` for whether it covers all the
 * code timed (the native addon's always do).
 */
export interface JsBackendOptions {
  slowdown?: number;
  corrupt?: boolean;
  clock?: () => ClockReading;
  maxClockMHz?: number;
  sampleClockMHz?: () => number;
  kernelIdentity?: string | ((benchmark: Benchmark) => string | null);
  identityCoversCode?: boolean;
}

/** `opened` counts sessions opened, `sampled` calls of sample(): a skipped benchmark takes none. */
export function jsBackend(options: JsBackendOptions = {}): MeasureBackend & { opened: number; sampled: number } {
  const device: Device = {
    backend: 'cpu', name: 'js test backend', deviceKey: 'cpu/js-test', computeCapability: null,
    multiprocessorCount: 1, l2CacheBytes: null, memoryBytes: null, driverVersion: null,
    runtimeVersion: null, smClockMHz: options.maxClockMHz ?? null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
  };
  const backend = {
    device,
    opened: 0,
    sampled: 0,
    open(benchmark: Benchmark): BenchmarkSession {
      backend.opened += 1;
      return session(benchmark, options, () => (backend.sampled += 1));
    },
  };
  return backend;
}

function attention(q: Float64Array, k: Float64Array, v: Float64Array, out: Float64Array, S: number, D: number, causal: boolean) {
  const scores = new Float64Array(S);
  for (let i = 0; i < S; i += 1) {
    const last = causal ? i : S - 1;
    let max = -Infinity;
    for (let j = 0; j <= last; j += 1) {
      let dot = 0;
      for (let d = 0; d < D; d += 1) dot += q[i * D + d]! * k[j * D + d]!;
      scores[j] = dot / Math.sqrt(D);
      max = Math.max(max, scores[j]!);
    }
    let sum = 0;
    for (let j = 0; j <= last; j += 1) sum += scores[j] = Math.exp(scores[j]! - max);
    for (let d = 0; d < D; d += 1) {
      let acc = 0;
      for (let j = 0; j <= last; j += 1) acc += scores[j]! * v[j * D + d]!;
      out[i * D + d] = acc / sum;
    }
  }
}

function session(benchmark: Benchmark, options: JsBackendOptions, onSample: () => void): BenchmarkSession {
  const shape = benchmark as unknown as AttentionShape;
  const { S, D, causal } = shape;
  const random = () => Math.random() * 2 - 1;
  const fill = () => Float64Array.from({ length: S * D }, random);
  let q = fill(), k = fill(), v = fill();
  const out = new Float64Array(S * D);
  const repeats = options.slowdown ?? 1;
  const clock: ClockReading = { smClockMHz: null, throttleReasons: [] };
  return {
    variant: 'js',
    work: { flops: attentionFlops(shape), bytes: attentionBytes(shape) },
    kernelIdentity: (typeof options.kernelIdentity === 'function' ? options.kernelIdentity(benchmark) : options.kernelIdentity) ?? null,
    identityCoversCode: options.identityCoversCode ?? false,
    check(): Correctness {
      q = fill(); k = fill(); v = fill();
      out.fill(Number.NaN);
      attention(q, k, v, out, S, D, causal);
      if (options.corrupt) out[0] = out[0]! + 1;
      const reference = new Float64Array(S * D);
      attention(q, k, v, reference, S, D, causal);
      let maxAbsError = 0, diff = 0, norm = 0;
      for (let i = 0; i < out.length; i += 1) {
        const e = Math.abs(out[i]! - reference[i]!);
        maxAbsError = Math.max(maxAbsError, Number.isNaN(e) ? Infinity : e);
        diff += e * e;
        norm += reference[i]! * reference[i]!;
      }
      const relError = Math.sqrt(diff / norm);
      const passed = relError <= 1e-9;
      return { passed, maxAbsError, relError, tolerance: 1e-9, reference: 'js-fp64', ...(passed ? {} : { detail: `relative error ${relError.toExponential(2)} over 1e-9` }) };
    },
    sample({ warmup, samples }: SampleOptions): SampleBatch {
      onSample();
      for (let i = 0; i < warmup; i += 1) attention(q, k, v, out, S, D, causal);
      const samplesMs = Array.from({ length: samples }, () => {
        const started = performance.now();
        for (let r = 0; r < repeats; r += 1) attention(q, k, v, out, S, D, causal);
        return performance.now() - started;
      });
      const perSample = options.sampleClockMHz;
      return { samplesMs, clockMHz: perSample ? samplesMs.map(() => perSample()) : null };
    },
    clock: options.clock ?? (() => clock),
    close: () => {},
  };
}
