// The element checks the file validators share, each written to read like the interface it checks.
import {
  array, at, boolean, between, fail, failWith, finite, integer, literal, nonEmptyString, nonNegative, nullable,
  object, oneOf, positive, string, tuple2, type Check, type Where,
} from './_check.js';
import { benchmarkId, dtypes, parseBenchmarkId, type Benchmark } from './benchmark.js';
import type { Thresholds } from './comparison.js';
import { backends, type Device } from './device.js';
import type { RatchetErrorCode } from './errors.js';
import type { Measurement, Summary } from './measurement.js';

const kernelName: Check<string> = (v, w) =>
  typeof v === 'string' && /^[A-Za-z0-9_.-]+$/.test(v) ? v : fail(w, "a kernel name of letters, digits, '_', '.' or '-'", v);

export const checkBenchmark: Check<Benchmark> = object({
  kernel: kernelName,
  dtype: oneOf(dtypes),
  B: integer(1),
  H: integer(1),
  S: integer(1),
  D: integer(1),
  causal: boolean,
});

/** A file written by another Ratchet: the version is named in words rather than as a bad value. */
export const schemaVersion = (expected: number): Check<number> => (v, w) => {
  if (typeof v === 'number' && v !== expected) failWith(w, `schemaVersion ${v} is not supported by this Ratchet (expected ${expected})`);
  return literal(expected, String(expected))(v, w);
};

// Every statistic of a set of times is a time, so positive; only the CI bounds may dip below zero
// (Student t on a few noisy samples), and spread can be exactly zero.
export const checkSummary: Check<Summary> = object({
  n: integer(1), mean: positive, median: positive, std: nonNegative, cv: nonNegative, min: positive, max: positive,
  p05: positive, p25: positive, p75: positive, p95: positive, p99: positive,
  ci95Mean: tuple2(finite), ci95Median: tuple2(finite),
});

export const checkDevice: Check<Device> = object({
  backend: oneOf(backends),
  name: string,
  deviceKey: nonEmptyString,
  computeCapability: nullable(string),
  multiprocessorCount: integer(0),
  l2CacheBytes: nullable(nonNegative),
  memoryBytes: nullable(nonNegative),
  driverVersion: nullable(string),
  runtimeVersion: nullable(string),
  smClockMHz: nullable(nonNegative),
  memoryClockMHz: nullable(nonNegative),
  peakBandwidthGBps: nullable(nonNegative),
  peakTflops: nullable(nonNegative),
});

const checkCorrectness = object(
  { passed: boolean, maxAbsError: nonNegative, relError: nonNegative, tolerance: nonNegative, reference: string },
  { detail: string, checksum: object({ sum: finite, absSum: nonNegative }) },
);
const checkClock = nullable(object({ smClockMHz: nullable(nonNegative), throttleReasons: array(string) }));

export const checkGit = nullable(object({ sha: nonEmptyString, branch: nullable(string), dirty: boolean }));

export const checkTiming = object({
  clock: oneOf(['cuda-events', 'steady-clock'] as const),
  warmup: integer(0),
  l2Flush: boolean,
  launchesPerSample: integer(1),
});

export const thresholdShape = { regressionPct: positive, improvementPct: positive, alpha: between(0, 1) };
export const checkThresholds: Check<Thresholds> = object(thresholdShape);

const checkMeasurementFields = object({
  id: string,
  benchmark: checkBenchmark,
  status: oneOf(['ok', 'invalid'] as const),
  variant: string,
  samplesMs: array(positive),
  summary: nullable(checkSummary),
  flops: nonNegative,
  bytes: nonNegative,
  tflops: nullable(nonNegative),
  gbps: nullable(nonNegative),
  roof: nullable(oneOf(['compute', 'memory'] as const)),
  roofFraction: nullable(nonNegative),
  correctness: checkCorrectness,
  stopReason: nullable(oneOf(['converged', 'max-samples', 'time-budget'] as const)),
  clockStart: checkClock,
  clockEnd: checkClock,
});

/** `invalid` measurements were never timed, so only `ok` ones must carry samples and a summary. */
export const checkMeasurement: Check<Measurement> = (v, w) => {
  const measurement: Measurement = checkMeasurementFields(v, w);
  const expectedId = benchmarkId(measurement.benchmark);
  if (measurement.id !== expectedId) {
    failWith(at(w, 'id'), `expected ${JSON.stringify(expectedId)} (the id of its benchmark) but received ${JSON.stringify(measurement.id)}`);
  }
  if (measurement.status === 'ok' && measurement.samplesMs.length === 0) {
    failWith(at(w, 'samplesMs'), 'a measurement with status "ok" needs at least one sample');
  }
  if (measurement.status === 'ok' && measurement.summary === null) {
    failWith(at(w, 'summary'), 'a measurement with status "ok" needs a summary');
  }
  return measurement;
};

/** The same benchmark twice in one list: both positions are named so either can be deleted. */
export function noDuplicates<T>(items: readonly T[], idOf: (item: T) => string, listWhere: Where): void {
  const firstIndex = new Map<string, number>();
  items.forEach((item, index) => {
    const id = idOf(item);
    const first = firstIndex.get(id);
    if (first !== undefined) {
      failWith(at(listWhere, index), `benchmark ${id} appears twice (also at ${at(listWhere, first).path})`, 'ERR_RATCHET_DUPLICATE_BENCHMARK');
    }
    firstIndex.set(id, index);
  });
}

/** Files keyed by benchmark id (baseline, tuning) must use real ids, or lookups silently miss. */
export function benchmarkKeys(keys: readonly string[], benchmarksWhere: Where): void {
  for (const key of keys) {
    if (!parseBenchmarkId(key)) failWith(at(benchmarksWhere, key), 'the key is not a benchmark id such as "flash_fwd/fp16/B32_H8_S512_D64"');
  }
}

export function root(file: string, code: RatchetErrorCode): Where {
  return { file, path: '', code };
}
