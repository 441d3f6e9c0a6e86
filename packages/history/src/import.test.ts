import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importSavedRuns, notYetRecorded } from './import.js';

const results = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/results');
// The H100 runs of 2026-11-23/24: a fixed set, so results saved later do not change what is expected.
const saved = readdirSync(results).filter((f) => /^2026-11-2[34]-.*\.json$/.test(f)).map((f) => join(results, f));

describe('importSavedRuns over docs/results', () => {
  it('makes one record per saved RunResult and says why every other file gave none', async () => {
    const outcome = await importSavedRuns(saved, { project: 'github.com/acme/kernels' });
    expect(outcome.records.map((r) => [r.time, r.deviceKey, r.benchmarks.length])).toEqual([
      ['2026-11-23T22:15:04.105Z', 'NVIDIA-H100-80GB-HBM3/sm90', 10],
      ['2026-11-23T22:26:22.311Z', 'NVIDIA-H100-80GB-HBM3/sm90', 10],
    ]);
    expect(outcome.records[0]!.benchmarks[0]).toMatchObject({ id: 'flash_fwd/fp16/B32_H8_S512_D64', medianMs: 0.083872, n: 1749, roof: 'memory', roofFraction: 0.238681 });
    const reasons = Object.fromEntries(outcome.skipped.map((s) => [s.file.slice(results.length + 1), s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(saved.map((f) => f.slice(results.length + 1)).filter((f) => !/bench\.json|run2\.json/.test(f)).sort());
    expect(reasons['2026-11-23-h100-calibration-3pct.json']).toBe('not a RunResult (no "measurements"): a calibration or another report, nothing to record');
    expect(reasons['2026-11-23-h100-sota.json']).toBe('a SOTA table of a run (NVIDIA-H100-80GB-HBM3/sm90 at 2026-11-23T22:17:31.444Z) whose RunResult is not among these files: nothing to attach it to');
    expect(reasons['2026-11-24-h100-relative-slower-base.json']).toMatch(/^a comparison of a run \(NVIDIA-H100-80GB-HBM3\/sm90 at 2026-11-24T01:20:10\.375Z\)/);
  });

  it('adds nothing the second time: records already in the history are recognised', async () => {
    const { records } = await importSavedRuns(saved);
    expect(notYetRecorded(records, records)).toEqual([]);
    expect(notYetRecorded(records.slice(0, 1), records)).toEqual(records.slice(1));
  });
});
