import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet accept`: measured figures recorded as the baseline on purpose, with a reason (accept.ts). */
export function register(program: Command, kit: CommandKit): void {
  program
    .command('accept')
    .description('record measured figures as the baseline on purpose, even slower ones, with a reason')
    .argument('[benchmarks...]', 'benchmark ids to accept')
    .option('--all', 'accept every valid measurement of the results file')
    .requiredOption('--reason <text>', 'why the new figure is accepted (kept in history.jsonl)')
    .option('--results <file>', 'RunResult JSON (default: paths.results of the config)')
    .action(kit.action(async (context, ids: string[], options) => (await import('./accept.js')).acceptCommand(ids, options, context)));
}
