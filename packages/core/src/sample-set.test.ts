import { describe, expect, it } from 'vitest';
import { SampleSet } from './sample-set.js';

const steady = { smClockMHz: 1980, throttleReasons: [] };

describe('SampleSet: samples, their clocks, and what throttling threw away', () => {
  it('keeps times and per-sample clocks aligned, and a sorted copy for the stopping rule', () => {
    const set = new SampleSet(1980);
    set.add({ samplesMs: [3, 1], clockMHz: [1980, 1965] }, steady);
    set.add({ samplesMs: [2], clockMHz: [1980] }, steady);
    expect(set.fields()).toEqual({ samplesMs: [3, 1, 2], samplesClockMHz: [1980, 1965, 1980] });
    expect(Array.from(set.sorted)).toEqual([1, 2, 3]);
    expect(set.median()).toBe(2);
  });

  it('drops a sample whose own clock is under 75% of the maximum, and counts it', () => {
    const set = new SampleSet(2000);
    set.add({ samplesMs: [1, 5, 1.1], clockMHz: [1990, 1400, 1980] }, steady);
    expect(set.fields()).toEqual({ samplesMs: [1, 1.1], samplesClockMHz: [1990, 1980], discardedSamples: 1 });
  });

  it('drops a whole batch that ended with an NVML slowdown reason', () => {
    const set = new SampleSet(1980);
    set.add({ samplesMs: [1, 1], clockMHz: [1980, 1980] }, { smClockMHz: 1980, throttleReasons: ['hw_thermal_slowdown'] });
    expect(set.size).toBe(0);
    expect(set.discarded).toBe(2);
  });

  it('without per-sample clocks judges each batch by the reading after it, and reports no clocks', () => {
    const set = new SampleSet(1980);
    set.add({ samplesMs: [1, 2], clockMHz: null }, steady);
    set.add({ samplesMs: [9], clockMHz: null }, { smClockMHz: 1000, throttleReasons: [] });
    expect(set.fields()).toEqual({ samplesMs: [1, 2], discardedSamples: 1 });
  });

  it('stops reporting clocks once one batch came without them (times and clocks must stay aligned)', () => {
    const set = new SampleSet(null);
    set.add({ samplesMs: [1], clockMHz: [1980] }, steady);
    set.add({ samplesMs: [2], clockMHz: null }, steady);
    expect(set.fields().samplesClockMHz).toBeUndefined();
  });
});
