// A run history of known shape, for the dashboard's browser test and its benchmark
// (scripts/bench-dashboard.mjs): `benchmarks` benchmarks x `runs` runs on each device, each
// series a slow drift with noise, a step where the machine code changes, one regression in the
// last run, peers on some benchmarks, and the baseline's moves to go with it. Deterministic.

/** xorshift32: the same history (and bench:tooling's samples) on every machine. */
export function rng(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const kernels = ['flash_fwd', 'rmsnorm', 'softmax'];
const sig = (x) => Number(x.toPrecision(6));
const hex = (random, n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');

function benchmarkShapes(count) {
  return Array.from({ length: count }, (_, i) => {
    const kernel = kernels[i % kernels.length];
    const dtype = i % 2 === 0 ? 'fp16' : 'bf16';
    const size = 64 * (1 + (i % 97));
    return { id: `${kernel}/${dtype}/rows${size}_cols${1024 + i}`, kernel, dtype, roof: i % 4 === 0 ? 'compute' : 'memory', baseMs: 0.05 + (i % 13) * 0.11 };
  });
}

/**
 * Records (oldest first) and baseline events of a synthetic project.
 * @param {{ benchmarks?: number, runs?: number, devices?: string[], project?: string, seed?: number, start?: number }} options
 */
export function syntheticHistory(options = {}) {
  const { benchmarks = 24, runs = 30, devices = ['NVIDIA-H100-80GB-HBM3/sm90'], project = 'github.com/acme/kernels', seed = 7, start = Date.UTC(2026, 0, 1) } = options;
  const random = rng(seed);
  const shapes = benchmarkShapes(benchmarks);
  const records = [];
  const events = [];
  const stepAt = Math.floor(runs / 2);
  devices.forEach((deviceKey, d) => {
    const scale = 1 + d * 0.4;
    const identities = [`sm_90:${hex(random, 16)}`, `sm_90:${hex(random, 16)}`];
    for (let r = 0; r < runs; r += 1) {
      const time = new Date(start + r * 6 * 3600e3 + d * 60e3).toISOString();
      const commit = hex(random, 40);
      const last = r === runs - 1;
      const entries = shapes.map((shape, i) => {
        const step = r >= stepAt && i % 3 === 0 ? 0.92 : 1;
        const regressed = last && i === 1 ? 1.08 : 1;
        const medianMs = sig(shape.baseMs * scale * step * regressed * (1 + 0.004 * Math.sin(r / 3 + i)) * (1 + (random() - 0.5) * 0.004));
        const half = medianMs * 0.002;
        const entry = {
          id: shape.id, kernel: shape.kernel, dtype: shape.dtype, status: 'ok', variant: 'v1',
          kernelIdentity: identities[r >= stepAt && i % 3 === 0 ? 1 : 0], medianMs, ci95MedianMs: [sig(medianMs - half), sig(medianMs + half)], n: 200,
          smClockMHz: 1980, tflops: sig(20 / medianMs), gbps: sig(800 / medianMs), roof: shape.roof, roofFraction: sig(0.012 / medianMs / scale),
        };
        if (last) Object.assign(entry, { verdict: i === 1 ? 'regression' : 'unchanged', changePct: i === 1 ? 8 : 0 });
        if (last && i % 5 === 0) entry.peers = { 'torch-sdpa/flash': { medianMs: sig(medianMs * 0.9), ci95MedianMs: [sig(medianMs * 0.89), sig(medianMs * 0.91)] } };
        return entry;
      });
      records.push({
        schemaVersion: 1, project, time, commit, branch: 'main', dirty: false, deviceKey, deviceName: `synthetic GPU ${d + 1}`,
        peakTflops: 989, peakGBps: 3350, timing: { clock: 'cuda-events', warmup: 10, l2Flush: true, launchesPerSample: 1 }, benchmarks: entries,
      });
    }
    const first = records.find((rec) => rec.deviceKey === deviceKey);
    const stepped = records.filter((rec) => rec.deviceKey === deviceKey)[stepAt];
    for (const [i, shape] of shapes.entries()) {
      events.push({ time: first.time, deviceKey, benchmarkId: shape.id, event: 'new', fromMedianMs: null, toMedianMs: first.benchmarks[i].medianMs, sha: first.commit });
      if (i % 3 === 0) events.push({ time: stepped.time, deviceKey, benchmarkId: shape.id, event: 'improvement', fromMedianMs: first.benchmarks[i].medianMs, toMedianMs: stepped.benchmarks[i].medianMs, sha: stepped.commit });
    }
    events.push({ time: records.at(-2).time, deviceKey, benchmarkId: shapes[2 % shapes.length].id, event: 'accept', fromMedianMs: 0.1, toMedianMs: 0.104, sha: null, reason: 'exact softmax, slower on purpose' });
  });
  records.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return { records, events };
}
