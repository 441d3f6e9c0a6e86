import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet bench`: measure and write the results (bench.ts), or save another harness's output as them with --from (imported.ts). */
export function register(program: Command, kit: CommandKit): void {
  kit
    .withImportOptions(
      kit.withPeerOptions(
        kit.measuringCommand(program, 'bench', 'measure the suite and write the results; judge nothing', {
          benchmarksHelp: "benchmark ids (default: the whole suite of the backend); with --from, the harness's output files", imports: true,
        })
          .addOption(kit.shardOption())
          .option('--history [dir]', 'append this run to the run history (default dir: .ratchet/runs)'),
        'also measure the peers (all torch-sdpa backends, or the ones named) and write results/sota.*',
      ),
      "save another harness's output as the results instead of measuring (nvbench, google-benchmark, pytest-benchmark, triton, ratchet-samples)",
    )
    .action(kit.action(async (context, ids: string[], options) => {
      if (options.from !== undefined) return (await import('./imported.js')).benchImportedCommand(ids, options, context);
      return (await import('./bench.js')).benchCommand(ids, options, context);
    }));
}
