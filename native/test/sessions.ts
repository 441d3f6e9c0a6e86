// What the native tests do with a session again and again.
import type { Backend, Benchmark, Correctness } from '@ratchet/types';
import type { NativeAddon, OpenOptions } from '../lib/index.js';

/** One check on a session of its own: opened, checked, closed (also when the check fails). */
export async function checkOnce(native: NativeAddon, backend: Backend, benchmark: Benchmark, options?: OpenOptions): Promise<Correctness> {
  const session = native.open(backend, benchmark, options);
  try {
    return await session.check();
  } finally {
    session.close();
  }
}
