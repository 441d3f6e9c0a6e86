import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet problems`: every problem the configuration can time (problems.ts). */
export function register(program: Command, kit: CommandKit): void {
  program
    .command('problems')
    .description('list every problem this configuration can time: built-in, plugins, processes')
    .addOption(kit.backendOption())
    .action(kit.action(async (context, options) => (await import('./problems.js')).problemsCommand(options, context)));
}
