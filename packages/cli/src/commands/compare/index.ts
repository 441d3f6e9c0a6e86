import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet compare`: a saved results file judged against the baseline (compare.ts). */
export function register(program: Command, kit: CommandKit): void {
  program
    .command('compare')
    .description('judge a saved results file against the baseline')
    .option('--results <file>', 'RunResult JSON (default: paths.results of the config)')
    .option('--no-ratchet', 'judge only: never move the baseline')
    .action(kit.action(async (context, options) => (await import('./compare.js')).compareCommand(options, context)));
}
