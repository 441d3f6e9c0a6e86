import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet bench`: measure and write the results (bench.ts). */
export function register(program: Command, kit: CommandKit): void {
  kit
    .withPeerOptions(
      kit.measuringCommand(program, 'bench', 'measure the suite and write the results; judge nothing')
        .option('--history [dir]', 'append this run to the run history (default dir: .ratchet/runs)'),
      'also measure the peers (all torch-sdpa backends, or the ones named) and write results/sota.*',
    )
    .action(kit.action(async (context, ids: string[], options) => (await import('./bench.js')).benchCommand(ids, options, context)));
}
