import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams, type SpawnOptionsWithoutStdio } from 'node:child_process';

/** Children started through `spawnGroup` that have not exited yet. */
const running = new Set<ChildProcess>();

/** Sends `signal` to the child's whole process group (it was spawned as its leader). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // A negative pid is the whole process group: the child and everything it started (cmake's make, nvcc, ...).
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/**
 * Spawns a child as the leader of its own process group, tracked until it exits, so that
 * `stopChildren` can stop it with everything it started; a child that merely inherits our group
 * would be re-parented to init and keep running after we exit. Its stdin, stdout and stderr are pipes.
 */
export function spawnGroup(file: string, args: readonly string[], options: SpawnOptionsWithoutStdio = {}): ChildProcessWithoutNullStreams {
  const child = spawn(file, args, { ...options, detached: true });
  running.add(child);
  const done = () => {
    running.delete(child);
  };
  child.on('exit', done);
  child.on('error', done);
  return child;
}

/**
 * How long a stopped child may take to exit before its group is killed: a problem process deep in
 * a batch or a compile that handles SIGTERM slowly, or ignores it, held an interrupted `ratchet`
 * (and `autotune` took 17-29 s to honour SIGTERM). Two seconds is ample for a child that exits
 * cleanly on the signal.
 */
export const stopGraceMs = 2_000;

/**
 * Stops every tracked child's process group: `signal` now, SIGKILL for whatever of the group is
 * left once the leader has exited (a grandchild that ignored the first signal), and for the whole
 * group when the leader has not exited within stopGraceMs. Returns how many groups were signalled.
 */
export function stopChildren(signal: NodeJS.Signals = 'SIGTERM', graceMs = stopGraceMs): number {
  const children = [...running];
  for (const child of children) {
    const deadline = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(deadline);
      killGroup(child, 'SIGKILL');
    });
    killGroup(child, signal);
  }
  return children.length;
}

/** Resolves when every tracked child has exited (after `stopChildren`, before the process exits). */
export async function childrenExited(): Promise<void> {
  await Promise.all([...running].map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  })));
}
