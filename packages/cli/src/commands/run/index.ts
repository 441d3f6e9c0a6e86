import { RatchetError } from '@ratchet/types/errors';
import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/**
 * `ratchet run`: against the committed baseline (run.ts), against a base build with --base
 * (relative.ts), or your own harness run again and again with --command (harness.ts).
 */
export function register(program: Command, kit: CommandKit): void {
  const command = kit.withImportOptions(kit
    .withPeerOptions(
      kit.measuringCommand(program, 'run', 'measure the suite, compare with the baseline, write the report; ratchet the baseline forward', { imports: true })
        .addOption(kit.shardOption())
        .option('--no-ratchet', 'judge only: never move the baseline (pull-request runs)')
        .option('--base <ref>', 'relative mode: build <ref> too and measure both interleaved in one process; judge HEAD against it')
        .option('--base-build <dir>', 'relative mode against a base checkout already built (its kernels/ and native/build/)')
        .option('--measure-identical', 'relative mode: measure benchmarks whose two sides run identical code too (by default they are skipped: unchanged, no GPU time)')
        .option('--history <dir>', 'the run history: trends for the report and, on main or when named, this run appended (default: .ratchet/runs)')
        .option('--no-history', 'neither read nor append the run history')
        .option('--dashboard-url <url>', "the dashboard the report links (default: the project's GitHub Pages site, once it keeps a history)")
        .option('--command <cmd>', 'run your own harness instead (sh -c, again and again; it writes to $RATCHET_OUTPUT or into $RATCHET_OUTPUT_DIR), read each run with --from; with --base, base and head runs alternate')
        .option('--min-runs <n>', 'with --command: runs (pairs of runs with --base) before the stopping rule may stop', '6')
        .option('--max-runs <n>', 'with --command: the most runs (pairs) of the harness', '30')
        .option('--time-budget <time>', 'with --command: start no run past this time: seconds, or with a unit (90s, 10m)', '30m')
        .option('--target <fraction>', "with --command: stop once every median (with --base: its ratio to the base's) is known to this fraction, 95% CI", '0.01'),
      'also measure the peers (all torch-sdpa backends, or the ones named) and write results/sota.*',
    ), 'with --command: the format of what the command writes (nvbench, google-benchmark, pytest-benchmark, triton, ratchet-samples)')
    // Refused before the config is read: a usage error is the first thing to say.
    .hook('preAction', (self) => {
      const options = self.opts();
      if (options.command !== undefined) {
        if (self.args.length > 0 || options.baseBuild !== undefined || options.peers !== undefined) throw new RatchetError('ERR_RATCHET_USAGE', '--command runs your harness as it is: benchmark ids, --base-build and --peers do not apply to it');
        return;
      }
      if (options.from !== undefined) throw new RatchetError('ERR_RATCHET_USAGE', 'run --from reads what a harness wrote: give the harness with --command "<cmd>" (or judge a file with compare --from)');
      if (options.measureIdentical && options.base === undefined && options.baseBuild === undefined) {
        throw new RatchetError('ERR_RATCHET_USAGE', '--measure-identical: only with --base or --base-build (a run against the baseline measures everything)');
      }
    });
  command.action(kit.action(async (context, ids: string[], options) => {
    if (options.command !== undefined) return (await import('./harness.js')).harnessRunCommand(options, context);
    if (options.base !== undefined || options.baseBuild !== undefined) return (await import('./relative.js')).relativeRunCommand(ids, options, context);
    return (await import('./run.js')).runCommand(ids, options, context);
  }));
}
