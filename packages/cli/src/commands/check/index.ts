import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet check`: every suite checked against the problems declared, without a device (check.ts). */
export function register(program: Command, kit: CommandKit): void {
  program
    .command('check')
    .description('check every suite of every backend against the problems declared (plugins loaded, processes asked); no device needed, nothing timed')
    .action(kit.action(async (context) => (await import('./check.js')).checkCommand(context)));
}
