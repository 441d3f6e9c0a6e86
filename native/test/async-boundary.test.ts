// check() and sample() run on the session's own thread (src/session_thread.h) and return Promises:
// the caller's event loop keeps running while a kernel is checked or timed.
import { describe, expect, it } from 'vitest';
import { RatchetError, type Benchmark } from '@ratchet/types';
import { loadNative } from '../lib/index.js';

const native = loadNative();
// Long by its work, not by a clock: rmsnorm over 4M elements, converted element by element, many
// times over (tens of milliseconds a launch on a fast core).
const heavy: Benchmark = { kernel: 'rmsnorm', dtype: 'bf16', rows: 1024, cols: 4096 };
const batch = { warmup: 0, samples: 12, l2Flush: false, launchesPerSample: 1 };

/** How many times a 1 ms interval timer fired while `work` was pending, and what it gave. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ ticks: number; value: T }> {
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 1);
  try {
    const value = await work();
    return { ticks, value };
  } finally {
    clearInterval(timer);
  }
}

describe('the native boundary: sessions work off the main thread', () => {
  it('the event loop keeps ticking while a sampling batch runs', async () => {
    const session = native.open('cpu', heavy, { variant: 'cpu-twopass' });
    expect((await session.check()).passed).toBe(true);
    const { ticks, value } = await ticksDuring(() => session.sample(batch));
    session.close();
    expect(value.samplesMs).toHaveLength(batch.samples);
    // A synchronous call would hold the loop for the whole batch: no tick at all.
    expect(ticks).toBeGreaterThanOrEqual(3);
  });

  it('the event loop keeps ticking while a check runs, and its result arrives', async () => {
    const session = native.open('cpu', heavy, { variant: 'cpu-twopass' });
    const { ticks, value } = await ticksDuring(async () => {
      const results = [];
      for (let i = 0; i < 4; i += 1) results.push(await session.check());
      return results;
    });
    session.close();
    expect(value.every((result) => result.passed)).toBe(true);
    expect(ticks).toBeGreaterThanOrEqual(3);
  });

  it('calls run in the order made: a sample asked right after a check (not awaited) counts that check', async () => {
    const session = native.open('cpu', { kernel: 'rmsnorm', dtype: 'fp16', rows: 8, cols: 64 });
    const [checked, sampled] = await Promise.all([session.check(), session.sample({ ...batch, samples: 3 })]);
    session.close();
    expect(checked.passed).toBe(true);
    expect(sampled.samplesMs).toHaveLength(3);
  });

  it('errors from the session thread arrive as RatchetErrors with their code', async () => {
    const session = native.open('cpu', heavy);
    const refused = session.sample(batch);
    await expect(refused).rejects.toBeInstanceOf(RatchetError);
    await expect(refused).rejects.toMatchObject({ code: 'ERR_RATCHET_USAGE', message: 'sample() before a passing check(): a kernel is timed only once its output is verified' });
    session.close();
  });

  it('close() waits for the batch in flight, whose Promise still resolves; later calls are refused', async () => {
    const session = native.open('cpu', heavy, { variant: 'cpu-twopass' });
    await session.check();
    const inFlight = session.sample({ ...batch, samples: 3 });
    session.close();
    expect((await inFlight).samplesMs).toHaveLength(3);
    await expect(session.check()).rejects.toMatchObject({ code: 'ERR_RATCHET_USAGE', message: 'this benchmark session is closed' });
  });
});
