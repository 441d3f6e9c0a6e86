import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet autotune`: a variant kept per benchmark only when significantly faster than the default (autotune.ts). */
export function register(program: Command, kit: CommandKit): void {
  kit.measuringCommand(program, 'autotune', 'try every compiled variant per benchmark; keep one only when it is significantly faster than the default')
    .option('--budget <time>', 'total time to spend measuring: seconds, or with a unit (20s, 2m)', '120')
    .option('--force', 'tune again what is already tuned for this device')
    .action(kit.action(async (context, ids: string[], options) => (await import('./autotune.js')).autotuneCommand(ids, options, context)));
}
