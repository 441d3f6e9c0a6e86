import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnGroup, stopChildren } from './children.js';

/** Gone, or a zombie nobody has reaped yet: either way it runs no more. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('spawnGroup and stopChildren', () => {
  it('stops a child with everything it started (its whole process group)', async () => {
    // The shell starts a grandchild that would outlive it, prints its pid, and waits.
    const child = spawnGroup('sh', ['-c', 'sleep 1000 & echo $!; wait']);
    const grandchild = await new Promise<number>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))));
    expect(running(grandchild)).toBe(true);
    // The grandchild holds the stdout pipe too: 'close' comes only once both have gone.
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    expect(stopChildren()).toBe(1);
    await closed;
    // The pipe closes while the grandchild is still on its way out (its files are closed before it
    // turns zombie): on a loaded machine /proc can still show it running for a moment. It must
    // stop: if it never does, the test's own timeout fails it.
    while (running(grandchild)) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(stopChildren()).toBe(0);
  });

  it('kills a child that ignores the signal once the grace has passed (a problem process stuck in a batch)', async () => {
    // Ignores SIGTERM, as a process deep in a compile or a library's own handler may.
    const child = spawnGroup('sh', ['-c', 'trap "" TERM; echo ready; while :; do sleep 1; done']);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    expect(stopChildren('SIGTERM', 50)).toBe(1);
    // A hang guard far past the grace: without the kill it never exits at all.
    const guard = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 60_000).unref());
    expect(await Promise.race([exited, guard])).toBe('SIGKILL');
  });
});
