// A leaf module (it imports nothing), exported on its own as @ratchet/types/errors too: the CLI's
// start-up (`ratchet --help`, `--version`, a usage error) needs the error class and codes, not the
// schemas (TypeBox: 200 modules to load).

/**
 * Every failure Ratchet reports carries one of these stable codes. The CLI maps codes to exit
 * statuses in one table; tools that import @ratchet/core switch on `code`, never on message text.
 */
export const errorCodes = [
  /** A benchmark description is malformed (missing field, wrong type, bad id). */
  'ERR_RATCHET_INVALID_BENCHMARK',
  /** A shape the kernel cannot run: S < 1, unsupported D, too large for memory, ... */
  'ERR_RATCHET_UNSUPPORTED_SHAPE',
  /** A backend name the native addon does not know (it knows `cpu` and `cuda`). */
  'ERR_RATCHET_INVALID_BACKEND',
  /** A benchmark names a kernel that no problem source (built-in, plugin, process) declares. */
  'ERR_RATCHET_UNKNOWN_PROBLEM',
  /** A plugin library is missing, not a Ratchet plugin, of another ABI version, or has no code for this GPU. */
  'ERR_RATCHET_PLUGIN',
  /** A process backend exited, hung past its time limit, or broke the line protocol. */
  'ERR_RATCHET_PROCESS',
  /** A problem's own setup or launch reported a failure (its message says what); not a CUDA fault. */
  'ERR_RATCHET_KERNEL_FAILED',
  /** A benchmark id asked for on the command line is not in the suite. */
  'ERR_RATCHET_UNKNOWN_BENCHMARK',
  /** The same benchmark id appears twice in a suite or results file. */
  'ERR_RATCHET_DUPLICATE_BENCHMARK',
  /** ratchet.config.json is unreadable, not JSON, or does not match the schema. */
  'ERR_RATCHET_INVALID_CONFIG',
  /** .ratchet/baseline.json is not JSON or does not match the schema. */
  'ERR_RATCHET_INVALID_BASELINE',
  /** A results (RunResult) file is not JSON or does not match the schema. */
  'ERR_RATCHET_INVALID_RESULTS',
  /** A tuning file is not JSON or does not match the schema. */
  'ERR_RATCHET_INVALID_TUNING',
  /** A run history (its manifest or a record) is of another project or cannot be read at all. */
  'ERR_RATCHET_INVALID_HISTORY',
  /** A command-line usage error (unknown option, missing argument, conflicting flags). */
  'ERR_RATCHET_USAGE',
  /** An output path cannot be written (permissions, missing parent that cannot be created). */
  'ERR_RATCHET_UNWRITABLE_PATH',
  /** A file that must exist does not. */
  'ERR_RATCHET_FILE_NOT_FOUND',
  /** No device for the requested backend (no GPU, no driver, CUDA not compiled in). */
  'ERR_RATCHET_NO_DEVICE',
  /** The device ran out of memory for the requested shape. */
  'ERR_RATCHET_OUT_OF_MEMORY',
  /** The driver is older than the CUDA runtime the addon was built with. */
  'ERR_RATCHET_DRIVER_TOO_OLD',
  /** Any other CUDA failure; the message names the call, the CUDA error and file:line. */
  'ERR_RATCHET_CUDA',
  /** A sticky CUDA error poisoned the context: the backend refuses further work. */
  'ERR_RATCHET_DEVICE_UNUSABLE',
  /** The native addon could not be loaded (not built, wrong platform). */
  'ERR_RATCHET_NATIVE_LOAD',
  /** A side of `run --base` would time an addon built from other sources than its checkout. */
  'ERR_RATCHET_STALE_BUILD',
  /** Every sample of a benchmark was taken while the device throttled (power or thermal). */
  'ERR_RATCHET_THROTTLED',
  /** An external peer program failed, timed out or printed malformed output. */
  'ERR_RATCHET_PEER',
  /** A GitHub API call failed (permission, rate limit, server error). */
  'ERR_RATCHET_GITHUB',
  /** Another ratchet holds the lock on the baseline, history and tuning files (its pid is named). */
  'ERR_RATCHET_LOCKED',
  /** The user interrupted the run (Ctrl-C, SIGTERM). */
  'ERR_RATCHET_INTERRUPTED',
  /** A bug in Ratchet itself: an invariant that should hold did not. */
  'ERR_RATCHET_INTERNAL',
] as const;

export type RatchetErrorCode = (typeof errorCodes)[number];

export interface RatchetErrorDetails {
  /** The file the error is about, when there is one. */
  file?: string;
  /** The field inside that file, as a path such as `devices["cpu/x86_64"].benchmarks[3].S`. */
  field?: string;
  /** The underlying error, kept for debugging; never needed to understand the message. */
  cause?: unknown;
}

/**
 * The one error class of Ratchet. `message` is a single line that names the input, what was
 * expected and what was received; `code` is stable across releases.
 */
export class RatchetError extends Error {
  readonly code: RatchetErrorCode;
  readonly file: string | undefined;
  readonly field: string | undefined;

  constructor(code: RatchetErrorCode, message: string, details: RatchetErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'RatchetError';
    this.code = code;
    this.file = details.file;
    this.field = details.field;
  }
}

/** True for RatchetErrors and for errors from the native addon, which carry the same codes. */
export function isRatchetError(error: unknown): error is Error & { code: RatchetErrorCode } {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (errorCodes as readonly string[]).includes(code);
}
