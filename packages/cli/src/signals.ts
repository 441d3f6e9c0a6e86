import type { BenchmarkSession, MeasureBackend } from '@ratchet/core';
import { RatchetError } from '@ratchet/types/errors';
import { exitCodes } from './exit-codes.js';

/**
 * SIGINT and SIGTERM. The first stops every child (each in its own process group: the base
 * build's cmake and nvcc, peers), removes this process's temporaries, and makes the work in
 * flight throw ERR_RATCHET_INTERRUPTED at its next step (a sample batch, a child's exit, the
 * moment before a write set lands), so `finally` blocks release the lock and main prints
 * "interrupted" and exits 130. A second signal also runs the registered cleanups (the lock) and
 * exits at once, for work that never reaches a next step.
 */
let interruptedBy: NodeJS.Signals | null = null;
const cleanups = new Set<() => void>();
/** Stops the children the work started and removes its temporaries, once armWorkStops has loaded them. */
let stopWork = (): void => {};

/**
 * Loads what a signal stops (@ratchet/core's children, @ratchet/files' temporaries) with a
 * command's work, from its action (command-kit.ts), rather than at start-up: `ratchet --help`
 * and `--version` load neither package, and start no child and write no temporary to stop.
 */
export async function armWorkStops(): Promise<void> {
  const [{ stopChildren }, { removeTrackedTemps }] = await Promise.all([import('@ratchet/core'), import('@ratchet/files')]);
  stopWork = () => {
    stopChildren('SIGTERM');
    removeTrackedTemps();
  };
}

function onSignal(signal: NodeJS.Signals): void {
  stopWork();
  if (interruptedBy === null) {
    interruptedBy = signal;
    return;
  }
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // Best effort: the process is on its way out.
    }
  }
  process.stderr.write(`ratchet: interrupted (${signal} again: stopped at once)\n`);
  process.exit(exitCodes.interrupted);
}

/** Installs the handlers; returns what removes them again. */
export function installSignalHandlers(): () => void {
  interruptedBy = null;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

export function interruptedSignal(): NodeJS.Signals | null {
  return interruptedBy;
}

export function interruptedError(): RatchetError {
  return new RatchetError('ERR_RATCHET_INTERRUPTED', `interrupted (${interruptedBy ?? 'signal'})`);
}

export function throwIfInterrupted(): void {
  if (interruptedBy !== null) throw interruptedError();
}

/** Runs `cleanup` on an interrupt (a lock to release) until the returned function is called. */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

/**
 * Lets the event loop run (a pending signal is delivered here: a backend may answer with plain
 * values, as an addon built before its calls went off the main thread does, and awaiting those
 * alone never yields to it), then stops if one came.
 */
export async function checkpoint(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  throwIfInterrupted();
}

function interruptibleSession(session: BenchmarkSession): BenchmarkSession {
  const step = <A extends unknown[], R>(call: (...args: A) => R | Promise<R>) => async (...args: A): Promise<R> => {
    await checkpoint();
    return call(...args);
  };
  return {
    get variant() {
      return session.variant;
    },
    get kernelIdentity() {
      return session.kernelIdentity ?? null;
    },
    get identityCoversCode() {
      return session.identityCoversCode ?? false;
    },
    get work() {
      return session.work;
    },
    check: step(() => session.check()),
    sample: step((options) => session.sample(options)),
    clock: () => session.clock(),
    close: () => session.close(),
  };
}

/** `backend` with a checkpoint before each open, check and sample batch. */
export function interruptible(backend: MeasureBackend): MeasureBackend {
  return {
    device: backend.device,
    open: async (benchmark, options) => {
      await checkpoint();
      return interruptibleSession(await backend.open(benchmark, options));
    },
  };
}
