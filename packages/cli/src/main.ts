import { Command, CommanderError, Option } from 'commander';
import { isRatchetError } from '@ratchet/types';
import { commandContext, type GlobalOptions } from './context.js';
import { exitCodeFor, exitCodes } from './exit-codes.js';

/** The options that bring peers into a command (`sota`, and `run`/`bench` with --peers). */
function withPeerOptions(command: Command, peersHelp: string): Command {
  return command
    .option('--peers [names...]', peersHelp)
    .option('--python <path>', 'Python interpreter with PyTorch for the torch-sdpa peers', 'python3')
    .option('--peer-samples <n>', 'samples each peer takes per benchmark', '100')
    .option('--peer-timeout <seconds>', 'how long one peer may run before it is stopped', '600');
}

const backendOption = () =>
  new Option('--backend <backend>', 'where to measure: auto takes the GPU when one is present').choices(['auto', 'cpu', 'cuda']).default('auto');

/**
 * The `ratchet` program. Each action loads its command module lazily so `ratchet --help` does
 * not pay for the addon, the statistics or the GitHub client.
 */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('ratchet')
    .description('Performance ratchet for GPU kernels: measure, compare with the baseline in git, judge.')
    .option('--config <file>', 'ratchet.config.json to use (default: ./ratchet.config.json when present)')
    .option('--json', 'print machine-readable JSON instead of the summary')
    .option('-q, --quiet', 'print only the verdict line and errors')
    .showHelpAfterError('(run ratchet --help for usage)')
    .exitOverride();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const act =
    <A extends unknown[]>(body: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      setExitCode(await body(...args));

  withPeerOptions(
    program
      .command('run')
      .description('measure the suite, compare with the baseline, write the report; ratchet the baseline forward')
      .argument('[benchmarks...]', 'benchmark ids (default: the whole suite of the backend)')
      .addOption(backendOption())
      .option('--no-ratchet', 'judge only: never move the baseline (pull-request runs)')
      .option('--base <ref>', 'relative mode: build <ref> too and measure both interleaved in one process; judge HEAD against it')
      .option('--base-build <dir>', 'relative mode against a base checkout already built (its kernels/ and native/build/)'),
    'also measure the peers (all torch-sdpa backends, or the ones named) and write results/sota.*',
  )
    .action(act(async (ids: string[], options) => {
      if (options.base !== undefined || options.baseBuild !== undefined) {
        const { relativeRunCommand } = await import('./commands/relative.js');
        return relativeRunCommand(ids, options, await commandContext(globals()));
      }
      const { runCommand } = await import('./commands/run.js');
      return runCommand(ids, options, await commandContext(globals()));
    }));

  withPeerOptions(
    program
      .command('bench')
      .description('measure the suite and write the results; judge nothing')
      .argument('[benchmarks...]', 'benchmark ids (default: the whole suite of the backend)')
      .addOption(backendOption()),
    'also measure the peers (all torch-sdpa backends, or the ones named) and write results/sota.*',
  )
    .action(act(async (ids: string[], options) => {
      const { benchCommand } = await import('./commands/bench.js');
      return benchCommand(ids, options, await commandContext(globals()));
    }));

  program
    .command('compare')
    .description('judge a saved results file against the baseline')
    .option('--results <file>', 'RunResult JSON (default: paths.results of the config)')
    .option('--no-ratchet', 'judge only: never move the baseline')
    .action(act(async (options) => {
      const { compareCommand } = await import('./commands/compare.js');
      return compareCommand(options, await commandContext(globals()));
    }));

  program
    .command('report')
    .description('print a saved comparison as markdown or JSON')
    .option('--comparison <file>', 'comparison JSON (default: paths.comparison of the config)')
    .option('--format <format>', 'markdown or json', 'markdown')
    .action(act(async (options) => {
      const { reportCommand } = await import('./commands/report.js');
      return reportCommand(options, await commandContext(globals()));
    }));

  program
    .command('accept')
    .description('record measured figures as the baseline on purpose, even slower ones, with a reason')
    .argument('[benchmarks...]', 'benchmark ids to accept')
    .option('--all', 'accept every valid measurement of the results file')
    .requiredOption('--reason <text>', 'why the new figure is accepted (kept in history.jsonl)')
    .option('--results <file>', 'RunResult JSON (default: paths.results of the config)')
    .action(act(async (ids: string[], options) => {
      const { acceptCommand } = await import('./commands/accept.js');
      return acceptCommand(ids, options, await commandContext(globals()));
    }));

  withPeerOptions(
    program
      .command('sota')
      .description('our suite beside PyTorch SDPA (FlashAttention-2, memory-efficient, cuDNN, math) in the same run')
      .argument('[benchmarks...]', 'benchmark ids (default: the whole suite of the backend)')
      .addOption(backendOption()),
    'peers to run (default: every torch-sdpa backend)',
  )
    .action(act(async (ids: string[], options) => {
      const { sotaCommand } = await import('./commands/sota.js');
      return sotaCommand(ids, options, await commandContext(globals()));
    }));

  program
    .command('autotune')
    .description('try every compiled variant per benchmark; keep one only when it is significantly faster than the default')
    .argument('[benchmarks...]', 'benchmark ids (default: the whole suite of the backend)')
    .addOption(backendOption())
    .option('--budget <seconds>', 'total time to spend measuring', '120')
    .option('--force', 'tune again what is already tuned for this device')
    .action(act(async (ids: string[], options) => {
      const { autotuneCommand } = await import('./commands/autotune.js');
      return autotuneCommand(ids, options, await commandContext(globals()));
    }));

  program
    .command('calibrate')
    .description('measure how far verdicts can be trusted: A/A false alarms, noise floor, detection of injected slowdowns')
    .argument('[benchmarks...]', 'benchmark ids (default: the whole suite of the backend)')
    .addOption(backendOption())
    .option('--trials <n>', 'A/A comparisons per benchmark', '50')
    .option('--slowdowns <pcts>', 'injected slowdowns, percent, comma-separated', '1,2,3,5')
    .option('--sensitivity-trials <n>', 'comparisons per injected slowdown', '20')
    .option('--set-time-ms <ms>', 'cap on the time one comparison (both sample sets, interleaved) may take (default: the budget of the config)')
    .option('--set-min-samples <n>', 'fewest samples per side of one comparison (default: the budget of the config)')
    .option('--set-target <fraction>', "the stopping rule's CI target for one comparison, e.g. 0.002 (default: the budget of the config)")
    .option('--thresholds <pcts>', 'regression thresholds to judge the same comparisons at, comma-separated (default: thresholds.relativeRegressionPct)')
    .action(act(async (ids: string[], options) => {
      const { calibrateCommand } = await import('./commands/calibrate.js');
      return calibrateCommand(ids, options, await commandContext(globals()));
    }));

  program
    .command('ci')
    .description('post the saved comparison to GitHub: one sticky PR comment, the job summary, step outputs')
    .option('--comparison <file>', 'comparison JSON (default: paths.comparison of the config)')
    .option('--artifact-url <url>', 'where the full report is kept, linked when the comment is cut')
    .option('--pr <number>', 'pull request number (default: from the GitHub Actions event)')
    .option('--gpu-cost-per-hour <dollars>', 'price of the GPU instance, for the cost line of the comment')
    .option('--dry-run', 'print the comment instead of posting it; no network')
    .action(act(async (options) => {
      const { ciCommand } = await import('./commands/ci.js');
      return ciCommand(options, await commandContext(globals()));
    }));

  program
    .command('devices')
    .description('list the devices each backend can use')
    .action(act(async () => {
      const { devicesCommand } = await import('./commands/devices.js');
      return devicesCommand(await commandContext(globals()));
    }));

  return program;
}

/** Runs the CLI and returns its exit status; the only place errors become exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end "with an error" in commander's terms; they are successes here.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.badInput;
    }
    if (isRatchetError(error)) {
      process.stderr.write(`ratchet: ${error.message}\n`);
      return exitCodeFor(error.code);
    }
    process.stderr.write(`ratchet: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    return exitCodes.internal;
  }
}
