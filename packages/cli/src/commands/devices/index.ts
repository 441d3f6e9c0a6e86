import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet devices`: what each backend can see (devices.ts). */
export function register(program: Command, kit: CommandKit): void {
  program
    .command('devices')
    .description('list the devices each backend can use')
    .action(kit.action(async (context) => (await import('./devices.js')).devicesCommand(context)));
}
