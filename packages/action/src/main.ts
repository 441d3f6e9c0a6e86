// The action's entry point (bundled into bundle/index.mjs, which action.yml runs with node): the
// inputs read, the mode run, one `::error::` line per failure, and the exit status the CLI would
// give (0 pass, 1 regression, 2 bad input, 3 environment or GitHub, 4 a bug).
import { exitCodeFor } from '@ratchet/cli';
import { isRatchetError } from '@ratchet/types';
import { readInputs, type Env } from './inputs.js';
import { driftMode, postMode, runMode } from './run.js';

/** GitHub reads a workflow command from a line of its own; newlines in the message would end it. */
const escapeCommand = (message: string) => message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

export async function runAction(env: Env, log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  try {
    const inputs = readInputs(env);
    if (inputs.mode === 'post') return await postMode(inputs, env, log);
    return inputs.mode === 'drift' ? await driftMode(inputs, env, log) : await runMode(inputs, env, log);
  } catch (error) {
    if (!isRatchetError(error)) {
      log(`::error::ratchet action: internal error: ${escapeCommand((error as Error)?.stack ?? String(error))}`);
      return 4;
    }
    log(`::error::ratchet: ${escapeCommand(error.message)}`);
    return exitCodeFor(error.code);
  }
}

process.exitCode = await runAction(process.env);
