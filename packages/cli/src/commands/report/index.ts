import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet report`: a saved comparison printed again (report.ts). */
export function register(program: Command, kit: CommandKit): void {
  program
    .command('report')
    .description('print a saved comparison as markdown or JSON')
    .option('--comparison <file>', 'comparison JSON (default: paths.comparison of the config)')
    .option('--format <format>', 'markdown or json', 'markdown')
    .action(kit.action(async (context, options) => (await import('./report.js')).reportCommand(options, context)));
}
