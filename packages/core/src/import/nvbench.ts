// nvbench's `--json` output (nvbench/json_printer.cu; file version 1.x): per benchmark, per state
// (one combination of axis values on one device), summaries tagged `nv/cold/time/gpu/mean`, ...,
// durations in seconds. With `--jsonbin` each state's sample times are in a sidecar file of
// little-endian float32 seconds (`<json>-bin/N.bin`, named by the `nv/json/bin:nv/cold/sample_times`
// summary, relative to the JSON file's directory): then the samples are read; otherwise the mean,
// the relative standard deviation and the sample count.
import type { Device, ReportedStatistics } from '@ratchet/types';
import { benchmarkFrom, importedDevice, importError, positiveTime, shown, type ImportedBenchmark, type ImportedFile, type ImportOptions } from './_shared.js';

interface NamedValue {
  name: string;
  type: string;
  value: string | number;
}
interface Summary {
  tag: string;
  hint?: string;
  data?: NamedValue[];
}
interface State {
  name: string;
  device: number;
  axis_values: NamedValue[] | null;
  summaries: Summary[] | null;
  is_skipped?: boolean;
}
interface NvbenchDevice {
  id: number;
  name: string;
  sm_version?: number;
  number_of_sms?: number;
  l2_cache_size?: number;
  global_memory_size?: number;
  sm_default_clock_rate?: number;
  global_memory_bus_peak_clock_rate?: number;
  global_memory_bus_bandwidth?: number;
}

/** The sample-time sidecar of a state, as bytes; null when it cannot be found. */
export type SidecarReader = (name: string) => Uint8Array | null;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a parsed JSON value is nvbench's output (for the wrong-format message). */
export function looksLikeNvbench(value: unknown): boolean {
  return isObject(value) && isObject(value.meta) && isObject((value.meta as Record<string, unknown>).version) && Array.isArray(value.benchmarks);
}

function valueOf(summary: Summary | undefined, name = 'value'): string | number | undefined {
  return summary?.data?.find((d) => d.name === name)?.value;
}

function deviceOf(devices: NvbenchDevice[], id: number): Device {
  const d = devices.find((device) => device.id === id)!;
  const sm = d.sm_version ?? null;
  const mhz = (hz: number | undefined) => (hz === undefined ? null : hz / 1e6);
  return importedDevice('nvbench', {
    backend: 'cuda', name: d.name, computeCapability: sm === null ? null : `${Math.floor(sm / 100)}.${Math.floor(sm / 10) % 10}`,
    multiprocessorCount: d.number_of_sms ?? 0, l2CacheBytes: d.l2_cache_size ?? null, memoryBytes: d.global_memory_size ?? null,
    smClockMHz: mhz(d.sm_default_clock_rate), memoryClockMHz: mhz(d.global_memory_bus_peak_clock_rate),
    peakBandwidthGBps: d.global_memory_bus_bandwidth === undefined ? null : d.global_memory_bus_bandwidth / 1e9,
  }, sm === null ? '' : `/sm${Math.floor(sm / 10)}`);
}

/** The device whose states are read: the only one, or the one --device names (by id or name). */
function chooseDevice(devices: NvbenchDevice[], file: string, asked: string | undefined): NvbenchDevice {
  const list = devices.map((d) => `${d.id}: ${d.name}`).join(', ');
  if (asked === undefined) {
    if (devices.length === 1) return devices[0]!;
    throw importError(file, `holds results of ${devices.length} devices (${list}): choose one with --device <id or name>`);
  }
  const chosen = devices.find((d) => String(d.id) === asked || d.name === asked);
  if (!chosen) throw importError(file, `--device ${JSON.stringify(asked)} is none of its devices (${list})`);
  return chosen;
}

function samplesFrom(bytes: Uint8Array, expected: number | undefined, file: string, name: string, sidecar: string): number[] {
  if (bytes.byteLength % 4 !== 0 || (expected !== undefined && bytes.byteLength !== expected * 4)) {
    throw importError(file, `sample times ${sidecar}: expected ${expected ?? 'a whole number of'} little-endian float32 values (${expected === undefined ? '' : `${expected * 4} `}bytes) but it holds ${bytes.byteLength} bytes: truncated?`, name);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const samples = new Array<number>(bytes.byteLength / 4);
  for (let i = 0; i < samples.length; i += 1) {
    const seconds = view.getFloat32(i * 4, true);
    if (!(seconds > 0) || !Number.isFinite(seconds)) throw importError(file, `sample times ${sidecar}: sample ${i} is ${seconds}, not a positive time`, name);
    samples[i] = seconds * 1e3;
  }
  return samples;
}

/** A state's times: its sidecar's samples, else the reported mean, spread and count (seconds in, ms out). */
function timesOf(state: State, file: string, name: string, readSidecar: SidecarReader): Pick<ImportedBenchmark, 'samplesMs' | 'reported'> {
  const byTag = new Map((state.summaries ?? []).map((s) => [s.tag, s]));
  const bin = byTag.get('nv/json/bin:nv/cold/sample_times');
  const filename = valueOf(bin, 'filename');
  if (typeof filename === 'string') {
    const bytes = readSidecar(filename);
    if (!bytes) throw importError(file, `its sample times ${filename} (nvbench --jsonbin) cannot be read: keep the -bin directory beside the JSON file`, name);
    const size = valueOf(bin, 'size');
    return { samplesMs: samplesFrom(bytes, size === undefined ? undefined : Number(size), file, name, filename) };
  }
  const prefix = byTag.has('nv/cold/time/gpu/mean') ? 'nv/cold' : byTag.has('nv/cpu_only/time/cpu/mean') ? 'nv/cpu_only' : null;
  if (prefix === null) throw importError(file, 'no time: expected a summary nv/cold/time/gpu/mean (or nv/cpu_only/time/cpu/mean), or sample times from --jsonbin', name);
  const clock = prefix === 'nv/cold' ? 'gpu' : 'cpu';
  const meanSummary = byTag.get(`${prefix}/time/${clock}/mean`)!;
  if (meanSummary.hint !== 'duration') throw importError(file, `${meanSummary.tag}: expected a duration (hint "duration", seconds) but its hint is ${shown(meanSummary.hint ?? null)}: no unit to read it in`, name);
  const meanMs = positiveTime(valueOf(meanSummary), file, name, meanSummary.tag) * 1e3;
  const relative = valueOf(byTag.get(`${prefix}/time/${clock}/stdev/relative`));
  const n = valueOf(byTag.get(`${prefix}/sample_size`));
  if (relative === undefined || n === undefined) {
    return { reported: { kind: 'single', valueMs: meanMs, statistic: 'mean', roundingMs: 0 } };
  }
  const count = Number(n);
  const rel = Number(relative);
  if (!Number.isSafeInteger(count) || count < 1) throw importError(file, `${prefix}/sample_size: expected a count of samples but received ${shown(n)}`, name);
  if (!Number.isFinite(rel) || rel < 0) throw importError(file, `${prefix}/time/${clock}/stdev/relative: expected a non-negative fraction but received ${shown(relative)}`, name);
  const reported: ReportedStatistics = { kind: 'mean-std', n: count, meanMs, stdMs: rel * meanMs };
  return { reported };
}

/** Reads one nvbench --json file (parsed), its sidecars through `readSidecar`. */
export function readNvbench(value: unknown, file: string, options: ImportOptions, readSidecar: SidecarReader): ImportedFile {
  if (!looksLikeNvbench(value)) throw importError(file, 'not nvbench --json output: expected an object with meta.version and benchmarks');
  const root = value as { meta: { version: { nvbench?: { string?: string } } }; devices?: NvbenchDevice[]; benchmarks: unknown[] };
  const devices = Array.isArray(root.devices) ? root.devices.filter((d) => isObject(d) && typeof d.name === 'string') : [];
  if (devices.length === 0) throw importError(file, 'devices: expected the devices the benchmarks ran on (nvbench writes them before the benchmarks)');
  const device = chooseDevice(devices, file, options.device);
  const benchmarks: ImportedBenchmark[] = [];
  for (const [index, bench] of root.benchmarks.entries()) {
    if (!isObject(bench) || typeof bench.name !== 'string' || !Array.isArray(bench.states)) throw importError(file, `benchmarks[${index}]: expected a benchmark with a name and states`);
    for (const state of bench.states as State[]) {
      if (!isObject(state) || state.is_skipped || state.device !== device.id) continue;
      const axes = (state.axis_values ?? []).map((axis) => [axis.name, axis.type === 'int64' ? Number(axis.value) : axis.type === 'float64' ? Number(axis.value) : axis.value] as const);
      const name = `${bench.name} ${typeof state.name === 'string' ? state.name : ''}`.trim();
      benchmarks.push({ harnessName: name, benchmark: benchmarkFrom(bench.name, axes), ...timesOf(state, file, name, readSidecar) });
    }
  }
  return {
    harness: 'nvbench', harnessVersion: root.meta.version.nvbench?.string ?? null, device: deviceOf(devices, device.id),
    timing: { clock: 'cuda-events', warmup: 0, l2Flush: true, launchesPerSample: 1 }, createdAt: null, benchmarks,
  };
}
