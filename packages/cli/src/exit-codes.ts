import type { RatchetErrorCode } from '@ratchet/types';

/** The documented exit statuses of `ratchet` (README.md, "Exit codes"). */
export const exitCodes = {
  ok: 0,
  /** At least one confirmed regression, or a kernel that failed its check (or its own setup). */
  regression: 1,
  /** Bad input or usage: nothing was written. */
  badInput: 2,
  /** The environment cannot run the work: no device, no driver, out of memory, addon not built, the state locked by another run. */
  environment: 3,
  /** A bug in Ratchet. */
  internal: 4,
  /** Interrupted by SIGINT or SIGTERM (128 + SIGINT): children stopped, temporaries removed. */
  interrupted: 130,
} as const;

/** Every error code mapped to its exit status, in one table. */
const exitCodeByError: Record<RatchetErrorCode, number> = {
  ERR_RATCHET_INVALID_BENCHMARK: exitCodes.badInput,
  ERR_RATCHET_UNSUPPORTED_SHAPE: exitCodes.badInput,
  ERR_RATCHET_INVALID_BACKEND: exitCodes.badInput,
  ERR_RATCHET_UNKNOWN_BENCHMARK: exitCodes.badInput,
  ERR_RATCHET_UNKNOWN_PROBLEM: exitCodes.badInput,
  ERR_RATCHET_PLUGIN: exitCodes.badInput,
  ERR_RATCHET_PROCESS: exitCodes.environment,
  // The user's kernel failed, as a failed correctness check does.
  ERR_RATCHET_KERNEL_FAILED: exitCodes.regression,
  ERR_RATCHET_DUPLICATE_BENCHMARK: exitCodes.badInput,
  ERR_RATCHET_INVALID_CONFIG: exitCodes.badInput,
  ERR_RATCHET_INVALID_BASELINE: exitCodes.badInput,
  ERR_RATCHET_INVALID_RESULTS: exitCodes.badInput,
  ERR_RATCHET_INVALID_TUNING: exitCodes.badInput,
  ERR_RATCHET_INVALID_HISTORY: exitCodes.badInput,
  ERR_RATCHET_USAGE: exitCodes.badInput,
  ERR_RATCHET_UNWRITABLE_PATH: exitCodes.badInput,
  ERR_RATCHET_FILE_NOT_FOUND: exitCodes.badInput,
  ERR_RATCHET_NO_DEVICE: exitCodes.environment,
  ERR_RATCHET_OUT_OF_MEMORY: exitCodes.environment,
  ERR_RATCHET_DRIVER_TOO_OLD: exitCodes.environment,
  ERR_RATCHET_CUDA: exitCodes.environment,
  ERR_RATCHET_DEVICE_UNUSABLE: exitCodes.environment,
  ERR_RATCHET_NATIVE_LOAD: exitCodes.environment,
  ERR_RATCHET_STALE_BUILD: exitCodes.environment,
  ERR_RATCHET_PEER: exitCodes.environment,
  ERR_RATCHET_THROTTLED: exitCodes.environment,
  ERR_RATCHET_GITHUB: exitCodes.environment,
  // Another process's doing, not the input's: retry once it has finished.
  ERR_RATCHET_LOCKED: exitCodes.environment,
  ERR_RATCHET_INTERRUPTED: exitCodes.interrupted,
  ERR_RATCHET_INTERNAL: exitCodes.internal,
};

export function exitCodeFor(code: RatchetErrorCode): number {
  return exitCodeByError[code];
}
