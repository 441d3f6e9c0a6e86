import { RatchetError } from '@ratchet/types/errors';
import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet compare`: a saved results file judged against the baseline (compare.ts), or another harness's output with --from (imported.ts). */
export function register(program: Command, kit: CommandKit): void {
  kit
    .withImportOptions(
      program
        .command('compare')
        .description("judge a saved results file (or, with --from, another harness's output) against the baseline")
        .argument('[files...]', "with --from: the harness's output files (or directories of them)")
        .option('--results <file>', 'RunResult JSON (default: paths.results of the config)')
        .option('--no-ratchet', 'judge only: never move the baseline')
        .option('--against <path>', "with --from: judge against this output of the harness (the base build's) instead of the baseline; nothing is moved"),
      "judge another harness's output (nvbench, google-benchmark, pytest-benchmark, triton, ratchet-samples)",
    )
    // Refused before the config is read: a usage error is the first thing to say.
    .hook('preAction', (self) => {
      if (self.opts().from === undefined && self.args.length > 0) {
        throw new RatchetError('ERR_RATCHET_USAGE', `compare: files (${self.args.join(', ')}) are read with --from <format>; a results file of Ratchet's is --results <file>`);
      }
    })
    .action(kit.action(async (context, files: string[], options) => {
      if (options.from !== undefined) return (await import('./imported.js')).compareImportedCommand(files, options, context);
      return (await import('./compare.js')).compareCommand(options, context);
    }));
}
