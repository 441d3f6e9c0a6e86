import { describe, expect, it } from 'vitest';
import { runResult } from '../test/fixtures.js';
import { historyRecordFor } from './record.js';
import { recentMedians } from './trend.js';

describe('recentMedians', () => {
  it('gives the last medians of each benchmark on the device, oldest first, skipping invalid runs', () => {
    const records = [[1, 2], [1.1, null], [1.2, 2.2], [1.3, 2.3]].map((medians, day) => historyRecordFor(runResult(`2026-11-0${day + 1}T00:00:00.000Z`, medians)));
    const other = { ...records[0]!, deviceKey: 'cpu/x86_64' };
    const ids = ['flash_fwd/fp16/B1_H8_S512_D64', 'flash_fwd/fp16/B1_H8_S1024_D64', 'not/measured'];
    expect(recentMedians([...records, other], records[0]!.deviceKey, ids, 3)).toEqual({
      'flash_fwd/fp16/B1_H8_S512_D64': [1.1, 1.2, 1.3],
      'flash_fwd/fp16/B1_H8_S1024_D64': [2, 2.2, 2.3],
      'not/measured': [],
    });
  });
});
