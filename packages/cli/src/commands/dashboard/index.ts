import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet dashboard`: the run history as a static site (dashboard.ts). */
export function register(program: Command, kit: CommandKit): void {
  program
    .command('dashboard')
    .description('the run history as a static site in one directory (trends per benchmark and device), for file:// or GitHub Pages')
    .option('--history <dir>', 'the run history (default: .ratchet/runs)')
    .option('--out <dir>', 'where the site goes; replaced as a whole (default: results/dashboard)')
    .action(kit.action(async (context, options) => (await import('./dashboard.js')).dashboardCommand(options, context)));
}
