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
    expect(running(grandchild)).toBe(false);
    expect(stopChildren()).toBe(0);
  });
});
