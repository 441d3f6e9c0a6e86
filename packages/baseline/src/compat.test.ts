import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchmarkId, parseJsonText, validateBaseline } from '@ratchet/types';
import { compare } from './compare.js';
import { lognormal, measurement, run, seeded } from '../test/fixtures.js';

// The baseline committed before benchmarks could be of any problem (schemaVersion 1, attention
// ids only): it must still load and judge, and be written back as the current version unchanged.
const committed = fileURLToPath(new URL('../../../.ratchet/baseline.json', import.meta.url));
const readBaseline = async (path: string) => validateBaseline(parseJsonText(await readFile(path, 'utf8'), path, 'ERR_RATCHET_INVALID_BASELINE'), path);

describe('the committed baseline of earlier versions', () => {
  it('loads, and judges a run of the same ids against its entries', async () => {
    const baseline = await readBaseline(committed);
    const [deviceKey, device] = Object.entries(baseline.devices)[0]!;
    const benchmark = { kernel: 'flash_fwd', dtype: 'fp16', B: 32, H: 8, S: 512, D: 64, causal: false };
    const id = benchmarkId(benchmark);
    const entry = device.benchmarks[id]!;
    const same = lognormal(seeded(3), 200, entry.summary!.median, 0.002);
    const remeasured = { ...measurement(512, same), id, benchmark, variant: entry.variant };
    const result = compare(run([remeasured], device.device), baseline, { regressionPct: 3, improvementPct: 5, alpha: 0.05 });
    expect(deviceKey).toBe(device.device.deviceKey);
    expect(result.results.find((r) => r.id === id)).toMatchObject({ verdict: 'unchanged', baseline: { median: entry.summary!.median } });
    expect(result.counts.missing).toBe(Object.keys(device.benchmarks).length - 1);
  });

});
