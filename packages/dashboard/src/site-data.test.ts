import { describe, expect, it } from 'vitest';
import { validateRunRecord } from '@ratchet/types';
import { syntheticHistory } from '../../../scripts/synthetic-history.mjs';
import { buildSiteData } from './site-data.js';

const options = { generatedAt: '2026-12-01T00:00:00.000Z', project: 'github.com/acme/kernels', commitUrl: 'https://github.com/acme/kernels/commit/' };

describe('buildSiteData', () => {
  const { records, events } = syntheticHistory({ benchmarks: 6, runs: 10, devices: ['gpu/a', 'gpu/b'] });

  it('is fed records the history would accept', () => {
    for (const record of records) expect(validateRunRecord(record, 'synthetic')).toEqual(record);
  });

  it('lays out one series per benchmark per device, column by column, the latest device first', () => {
    const site = buildSiteData(records, events, options);
    expect(site.devices.map((d) => d.key)).toEqual(['gpu/b', 'gpu/a']);
    const device = site.devices[1]!;
    expect(device.runs.t).toHaveLength(10);
    expect(device.runs.commit[0]).toBe(records.find((r) => r.deviceKey === 'gpu/a')!.commit);
    expect(device.benchmarks.map((b) => b.id)).toEqual([...device.benchmarks.map((b) => b.id)].sort());
    const flash = device.benchmarks.find((b) => b.id.startsWith('flash_fwd/fp16'))!;
    // A point in every run: no run indexes; the same work at every point: one roof product.
    expect(flash.run).toBeNull();
    expect([flash.medianMs, flash.ciBelow, flash.ciAbove].map((c) => c.length)).toEqual([10, 10, 10]);
    const source = records.filter((r) => r.deviceKey === 'gpu/a').map((r) => r.benchmarks.find((b) => b.id === flash.id)!);
    source.forEach((entry, i) => {
      const [low, high] = entry.ci95MedianMs!;
      expect(flash.medianMs[i]).toBe(entry.medianMs);
      expect(flash.medianMs[i]! * (1 - flash.ciBelow[i]! / 1e4)).toBeLessThanOrEqual(low);
      expect(flash.medianMs[i]! * (1 - (flash.ciBelow[i]! - 1) / 1e4)).toBeGreaterThan(low);
      expect(flash.medianMs[i]! * (1 + flash.ciAbove[i]! / 1e4)).toBeGreaterThanOrEqual(high);
      expect(flash.roofMs! / flash.medianMs[i]!).toBeCloseTo(entry.roofFraction!, 5);
    });
    expect(flash.roofFraction).toBeNull();
  });

  it('marks where the machine code changed, the baseline moved, the latest change, and the peers in % of our roof', () => {
    const device = buildSiteData(records, events, options).devices.find((d) => d.key === 'gpu/a')!;
    const stepped = device.benchmarks.find((b) => b.id.startsWith('flash_fwd/fp16'))!;
    expect(stepped.codeChanged).toEqual([5]);
    expect(stepped.baseline.map((e) => e.kind)).toEqual(['new', 'improvement']);
    expect(stepped.peers).toHaveLength(1);
    const peer = stepped.peers[0]!;
    const last = records.filter((r) => r.deviceKey === 'gpu/a').at(-1)!.benchmarks.find((b) => b.id === stepped.id)!;
    expect(peer.roofFraction).toBeCloseTo((last.roofFraction! * last.medianMs!) / peer.medianMs, 12);
    const regressed = device.benchmarks.find((b) => b.latest.verdict === 'regression')!;
    expect(regressed.latest.changePct).toBeGreaterThan(7);
    const accepted = device.benchmarks.find((b) => b.baseline.some((e) => e.kind === 'accept'))!;
    expect(accepted.baseline.find((e) => e.kind === 'accept')!.reason).toBe('exact softmax, slower on purpose');
  });

  it('leaves an invalid run out of the series but keeps its place among the runs', () => {
    const broken = structuredClone(records.filter((r) => r.deviceKey === 'gpu/a'));
    Object.assign(broken[3]!.benchmarks[0]!, { status: 'invalid', medianMs: null, ci95MedianMs: null, n: 0, roofFraction: null });
    const series = buildSiteData(broken, [], options).devices[0]!.benchmarks.find((b) => b.id === broken[3]!.benchmarks[0]!.id)!;
    expect(series.run).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
    expect(series.medianMs).toHaveLength(9);
  });

  it('puts records that come in any order (merged shards, imports) in time order', () => {
    const shuffled = [...records].reverse();
    shuffled.push(shuffled.splice(3, 1)[0]!);
    expect(buildSiteData(shuffled, events, options)).toEqual(buildSiteData(records, events, options));
  });

  it('keeps a fraction of the roof per point when the work per call changed', () => {
    const changed = structuredClone(records.filter((r) => r.deviceKey === 'gpu/a'));
    changed[4]!.benchmarks[0]!.roofFraction! *= 2;
    const series = buildSiteData(changed, [], options).devices[0]!.benchmarks.find((b) => b.id === changed[4]!.benchmarks[0]!.id)!;
    expect(series.roofMs).toBeNull();
    expect(series.roofFraction).toEqual(changed.map((r) => r.benchmarks[0]!.roofFraction));
  });
});

describe('buildSiteData: an imported series', () => {
  it('draws the figure its harness reported (a mean here) with no CI band, where samples would have one', () => {
    const [record] = syntheticHistory({ benchmarks: 6, runs: 10, devices: ['nvbench/H100'] }).records;
    const benchmark = { ...record!.benchmarks[0]!, ci95MedianMs: null, statistic: 'mean', medianMs: 1.25 };
    const site = buildSiteData([{ ...record!, benchmarks: [benchmark] }], [], options);
    const series = site.devices[0]!.benchmarks[0]!;
    expect([series.medianMs, series.ciBelow, series.ciAbove]).toEqual([[1.25], [0], [0]]);
  });
});
