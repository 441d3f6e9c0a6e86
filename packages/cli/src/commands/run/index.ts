import { RatchetError } from '@ratchet/types';
import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet run`: against the committed baseline (run.ts), or against a base build with --base (relative.ts). */
export function register(program: Command, kit: CommandKit): void {
  const command = kit
    .withPeerOptions(
      kit.measuringCommand(program, 'run', 'measure the suite, compare with the baseline, write the report; ratchet the baseline forward')
        .option('--no-ratchet', 'judge only: never move the baseline (pull-request runs)')
        .option('--base <ref>', 'relative mode: build <ref> too and measure both interleaved in one process; judge HEAD against it')
        .option('--base-build <dir>', 'relative mode against a base checkout already built (its kernels/ and native/build/)')
        .option('--measure-identical', 'relative mode: measure benchmarks whose two sides run identical code too (by default they are skipped: unchanged, no GPU time)')
        .option('--history <dir>', 'the run history: trends for the report and, on main or when named, this run appended (default: .ratchet/runs)')
        .option('--no-history', 'neither read nor append the run history')
        .option('--dashboard-url <url>', "the dashboard the report links (default: the project's GitHub Pages site, once it keeps a history)"),
      'also measure the peers (all torch-sdpa backends, or the ones named) and write results/sota.*',
    )
    // Refused before the config is read: a usage error is the first thing to say.
    .hook('preAction', (self) => {
      const options = self.opts();
      if (options.measureIdentical && options.base === undefined && options.baseBuild === undefined) {
        throw new RatchetError('ERR_RATCHET_USAGE', '--measure-identical: only with --base or --base-build (a run against the baseline measures everything)');
      }
    });
  command.action(kit.action(async (context, ids: string[], options) => {
    if (options.base !== undefined || options.baseBuild !== undefined) return (await import('./relative.js')).relativeRunCommand(ids, options, context);
    return (await import('./run.js')).runCommand(ids, options, context);
  }));
}
