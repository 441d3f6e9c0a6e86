import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script module, no declarations
import { attentionBenchmarkOf, crosscheckTable, median, ncuDurationsMs } from '../../scripts/ncu-timing.mjs';

const script = fileURLToPath(new URL('../../scripts/timing-crosscheck.mjs', import.meta.url));

// Two launches as `ncu --csv --metrics gpu__time_duration.sum` logs them (Nsight Compute 2025.3),
// plus a line of another metric that must be ignored.
const csv = [
  '"ID","Process ID","Process Name","Host Name","Kernel Name","Context","Stream","Block Size","Grid Size","Device","CC","Section Name","Metric Name","Metric Unit","Metric Value"',
  '"0","4242","node","127.0.0.1","flashForwardSm90V4","1","13","(384, 1, 1)","(16, 16, 8)","0","9.0","Command line profiler metrics","gpu__time_duration.sum","usecond","1,234.50"',
  '"1","4242","node","127.0.0.1","flashForwardSm90V4","1","13","(384, 1, 1)","(16, 16, 8)","0","9.0","Command line profiler metrics","gpu__time_duration.sum","msecond","0.25"',
  '"2","4242","node","127.0.0.1","flashForwardSm90V4","1","13","(384, 1, 1)","(16, 16, 8)","0","9.0","Command line profiler metrics","sm__cycles_elapsed.avg","cycle","999"',
].join('\n');

describe('timing cross-check: the parts that need no GPU', () => {
  it('reads every duration row in launch order, in milliseconds, thousands separators and all', () => {
    expect(ncuDurationsMs(csv)).toEqual([1.2345, 0.25]);
  });

  it('turns a duration in a unit that is not a time into NaN instead of a wrong figure', () => {
    expect(ncuDurationsMs(csv.replace('"msecond"', '"cycle"'))[1]).toBeNaN();
  });

  it('takes the median of odd and even counts and refuses an empty list', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/empty/);
  });

  it('prints both medians and our difference relative to Nsight Compute', () => {
    expect(crosscheckTable('flash_fwd/fp16/B8_H16_S2048_D128', 0.505, 50, 0.5, 50)).toMatchInlineSnapshot(`
      "| benchmark | ours: CUDA events (median of 50) | Nsight Compute gpu__time_duration (median of 50) | difference |
      | --- | ---: | ---: | ---: |
      | flash_fwd/fp16/B8_H16_S2048_D128 | 0.5050 ms | 0.5000 ms | +1.00% |"
    `);
  });

  it('reads an attention benchmark from its id, and nothing else', () => {
    expect(attentionBenchmarkOf('flash_fwd/bf16/B2_H16_S8192_D128_causal')).toEqual({ kernel: 'flash_fwd', dtype: 'bf16', B: 2, H: 16, S: 8192, D: 128, causal: true });
    expect(attentionBenchmarkOf('rmsnorm/fp16/rows8192_cols4096')).toBeNull();
  });

  it('loads and refuses a bad id with exit 2 before touching a GPU (its imports once broke it on the H200)', () => {
    const run = spawnSync(process.execPath, [script, '--id', 'nonsense'], { encoding: 'utf8' });
    expect(run.stderr).toMatch(/^timing-crosscheck: not an attention benchmark id: nonsense/);
    expect(run.status).toBe(2);
  });
});
