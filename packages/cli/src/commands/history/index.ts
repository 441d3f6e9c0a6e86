import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/**
 * `ratchet history import|export|checkout|push`: the run history from saved results or another
 * harness's output (history.ts, imported.ts), as Parquet, and on its branch (history-branch.ts).
 */
export function register(program: Command, kit: CommandKit): void {
  const history = program
    .command('history')
    .description('the run history: one compact record per run on main per device')
    // `ratchet history` alone lists its subcommands (exit 0), as `git remote` or `npm cache` do;
    // an unknown word after it is still a usage error.
    .allowExcessArguments(true)
    .action(() => {
      const [word] = history.args;
      if (word === undefined) return history.outputHelp();
      history.error(`error: unknown command '${word}' of 'history' (its commands: ${history.commands.map((c) => c.name()).join(', ')})`, { code: 'commander.unknownCommand', exitCode: 1 });
    });
  kit
    .withImportOptions(
      history
        .command('import')
        .description('add the runs saved as RunResult files (e.g. docs/results/*.json), Parquet files of history export, or with --from a harness\'s output files, that the history lacks')
        .argument('<files...>', 'saved results (comparisons and SOTA tables of the same runs add their verdicts and peers); with --format parquet, files or directories')
        .option('--format <format>', 'results (RunResult JSON files) or parquet (written by history export)', 'results')
        .option('--history <dir>', 'the run history (default: .ratchet/runs)'),
      "the files are another harness's output, each one run (nvbench, google-benchmark, pytest-benchmark, triton, ratchet-samples)",
    )
    .action(kit.action(async (context, files: string[], options) => {
      if (options.from !== undefined) return (await import('./imported.js')).historyImportFromCommand(files, options, context);
      return (await import('./history.js')).historyImportCommand(files, options, context);
    }));
  history
    .command('export')
    .description('write the run history as Parquet files, one row per benchmark per run, for DuckDB, ClickHouse or any engine that reads Parquet')
    .option('--format <format>', 'parquet', 'parquet')
    .option('--history <dir>', 'the run history (default: .ratchet/runs)')
    .option('--out <dir>', 'where the files go, as <device>/<YYYY-MM>.parquet (default: results/history-parquet)')
    .action(kit.action(async (context, options) => (await import('./history.js')).historyExportCommand(options, context)));
  for (const [name, description] of [
    ['checkout', 'check the run history branch out at the history directory (a git worktree; an empty history where the remote has none)'],
    ['push', 'commit the runs appended to the history directory and push them to its branch (rebasing over a concurrent push)'],
  ] as const) {
    history
      .command(name)
      .description(description)
      .option('--history <dir>', 'the run history (default: .ratchet/runs)')
      .option('--branch <name>', 'the branch the history lives on', 'ratchet-data')
      .option('--remote <name>', 'the remote it is fetched from and pushed to', 'origin')
      .action(kit.action(async (context, options) => {
        const { historyCheckoutCommand, historyPushCommand } = await import('./history-branch.js');
        return (name === 'checkout' ? historyCheckoutCommand : historyPushCommand)(options, context);
      }));
  }
}
