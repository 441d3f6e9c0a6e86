import { CommanderError } from 'commander';
import { isRatchetError, type RatchetErrorCode } from '@ratchet/types/errors';
import { exitCodeFor, exitCodes } from './exit-codes.js';
import { buildProgram } from './program.js';
import { installSignalHandlers, interruptedError, interruptedSignal } from './signals.js';

/**
 * Under --json an error is one JSON object on stderr, `{"error":{"code","message","exitCode"}}`
 * (stdout carries only results, so a consumer reading it never has to tell the two apart);
 * otherwise one `ratchet: ...` line.
 */
function reportError(json: boolean, code: RatchetErrorCode, message: string, exitCode: number): number {
  process.stderr.write(json ? `${JSON.stringify({ error: { code, message, exitCode } })}\n` : `ratchet: ${message}\n`);
  return exitCode;
}

/** Runs the CLI and returns its exit status; the only place errors become exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = exitCodes.ok;
  // Read before parsing: a usage error can stop the parse before --json is seen as an option.
  const json = argv.slice(2).includes('--json');
  const program = buildProgram((code) => {
    exitCode = code;
  }, { json });
  const uninstall = installSignalHandlers();
  try {
    await program.parseAsync([...argv]);
    // A signal stopped children (peers): what finished after it is not the whole job.
    if (interruptedSignal() !== null) throw interruptedError();
    return exitCode;
  } catch (error) {
    if (interruptedSignal() !== null) return reportError(json, 'ERR_RATCHET_INTERRUPTED', interruptedError().message, exitCodes.interrupted);
    if (error instanceof CommanderError) {
      // Help and --version end "with an error" in commander's terms; they are successes here.
      if (error.exitCode === 0) return exitCodes.ok;
      return json ? reportError(true, 'ERR_RATCHET_USAGE', error.message.replace(/^error: /, ''), exitCodes.badInput) : exitCodes.badInput;
    }
    if (isRatchetError(error)) return reportError(json, error.code, error.message, exitCodeFor(error.code));
    return reportError(json, 'ERR_RATCHET_INTERNAL', `internal error: ${(error as Error)?.stack ?? String(error)}`, exitCodes.internal);
  } finally {
    uninstall();
  }
}
