// Ratchet's own samples format (@ratchet/types samples-file.ts, with its JSON Schema): what any
// script writes. Its unit is stated once; each benchmark brings samples, statistics or one value.
import { validateSamplesFile, type ReportedStatistics } from '@ratchet/types';
import { benchmarkFrom, importedDevice, unitToMs, type ImportedBenchmark, type ImportedFile } from './_shared.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function looksLikeRatchetSamples(value: unknown): boolean {
  return isObject(value) && value.format === 'ratchet-samples';
}

export function readRatchetSamples(value: unknown, file: string): ImportedFile {
  const doc = validateSamplesFile(value, file);
  const ms = unitToMs(doc.unit)!;
  const benchmarks: ImportedBenchmark[] = doc.benchmarks.map((entry) => {
    const benchmark = benchmarkFrom(entry.name, Object.entries(entry.params ?? {}));
    const harnessName = entry.params ? `${entry.name} ${JSON.stringify(entry.params)}` : entry.name;
    if ('samples' in entry) return { harnessName, benchmark, samplesMs: entry.samples.map((t) => t * ms) };
    let reported: ReportedStatistics;
    if ('mean' in entry) reported = { kind: 'mean-std', n: entry.n, meanMs: entry.mean * ms, stdMs: entry.std * ms };
    else if ('median' in entry) reported = { kind: 'median-iqr', n: entry.n, medianMs: entry.median * ms, p25Ms: entry.p25 * ms, p75Ms: entry.p75 * ms };
    else reported = { kind: 'single', valueMs: entry.value * ms, statistic: entry.statistic ?? 'value', roundingMs: 0 };
    return { harnessName, benchmark, reported };
  });
  const backend = doc.device.backend ?? 'cuda';
  const date = doc.createdAt !== undefined && !Number.isNaN(Date.parse(doc.createdAt)) ? new Date(doc.createdAt).toISOString() : null;
  return {
    harness: doc.harness.name, harnessVersion: doc.harness.version ?? null, device: importedDevice('ratchet-samples', { backend, name: doc.device.name }),
    timing: { clock: backend === 'cuda' ? 'cuda-events' : 'steady-clock', warmup: 0, l2Flush: false, launchesPerSample: 1 }, createdAt: date, benchmarks,
  };
}
