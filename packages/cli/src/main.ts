import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { RatchetError, importFormats, isRatchetError, type RatchetErrorCode } from '@ratchet/types';
import { commandContext, type GlobalOptions } from './context.js';
import { exitCodeFor, exitCodes } from './exit-codes.js';
import { installSignalHandlers, interruptedError, interruptedSignal } from './signals.js';

/** The options that bring peers into a command (`sota`, and `run`/`bench` with --peers). */
function withPeerOptions(command: Command, peersHelp: string): Command {
  return command
    .option('--peers [names...]', peersHelp)
    .option('--python <path>', 'Python interpreter with PyTorch for the torch-sdpa peers', 'python3')
    .option('--peer-samples <n>', 'the least samples each side (ours and every peer) takes per benchmark, interleaved', '100')
    .option('--peer-timeout <seconds>', 'how long one request to a peer (open, check, a batch of samples) may go unanswered before it is stopped', '120');
}

const importDeviceHelp = 'with --from: which device of a file that holds several (nvbench: id or name), or the device a file that names none was measured on (triton)';

/**
 * The options of a command that reads another harness's output (`--from`; docs/harnesses.md). A
 * command that also measures has one --device already (deviceOption): with --from it names the
 * harness's device, else it picks the GPU.
 */
function withImportOptions(command: Command, fromHelp: string): Command {
  command.addOption(new Option('--from <format>', fromHelp).choices(importFormats));
  command.option('--unit <unit>', 'with --from triton: what the benchmarked function returns (ns, us, ms, s); a perf_report CSV says no unit');
  if (!command.options.some((option) => option.long === '--device')) command.option('--device <name>', importDeviceHelp);
  return command
    .option('--x-names <names>', "with --from triton: the CSV's x_names columns, comma-separated (default: the first column and its copies)");
}

const backendOption = () =>
  new Option('--backend <backend>', 'where to measure: auto takes the GPU when one is present').choices(['auto', 'cpu', 'cuda']).default('auto');
const shardOption = () =>
  new Option('--shard <i/n>', 'measure shard i of n: a slice of the suite balanced by expected cost, the same on every machine (ratchet merge joins them)');
/** `--device` of a measuring command; `imports`: the command takes --from too, where it names the harness's device. */
const deviceOption = (imports = false) =>
  new Option(
    imports ? '--device <index|uuid|name>' : '--device <index|uuid>',
    `which device of the backend: an index (CUDA's, after CUDA_VISIBLE_DEVICES) or a GPU UUID, as ratchet devices lists them (default: the first)${imports ? `; ${importDeviceHelp}` : ''}`,
  );

/** The CLI package's version (dist/ and src/ both sit one level below its package.json). */
export const version: string = createRequire(import.meta.url)('../package.json').version;

/**
 * The `ratchet` program. Each action loads its command module lazily so `ratchet --help` does
 * not pay for the addon, the statistics or the GitHub client.
 */
export function buildProgram(setExitCode: (code: number) => void, options: { json?: boolean } = {}): Command {
  const program = new Command('ratchet')
    .description('Performance ratchet for GPU kernels: measure, compare with the baseline in git, judge.')
    .version(version, '-V, --version', 'print the version')
    .option('--config <file>', 'ratchet.config.json to use (default: ./ratchet.config.json when present)')
    .option('--json', 'print machine-readable JSON instead of the summary')
    .option('-q, --quiet', 'print only the verdict line and errors')
    .showHelpAfterError(!options.json && '(run ratchet --help for usage)')
    .exitOverride();
  // Under --json a usage error is reported once, as JSON, by main().
  if (options.json) program.configureOutput({ outputError: () => {} });
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const act =
    <A extends unknown[]>(body: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      setExitCode(await body(...args));

  withImportOptions(withPeerOptions(
    program
      .command('run')
      .description('measure the suite, compare with the baseline, write the report; ratchet the baseline forward')
      .argument('[benchmarks...]', 'benchmark ids (default: the whole suite of the backend)')
      .addOption(backendOption())
      .addOption(deviceOption(true))
      .addOption(shardOption())
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
    .action(act(async (ids: string[], options) => {
      if (options.command !== undefined) {
        if (ids.length > 0 || options.baseBuild !== undefined || options.peers !== undefined) throw new RatchetError('ERR_RATCHET_USAGE', '--command runs your harness as it is: benchmark ids, --base-build and --peers do not apply to it');
        const { harnessRunCommand } = await import('./commands/harness.js');
        return harnessRunCommand(options, await commandContext(globals()));
      }
      if (options.from !== undefined) throw new RatchetError('ERR_RATCHET_USAGE', 'run --from reads what a harness wrote: give the harness with --command "<cmd>" (or judge a file with compare --from)');
      if (options.measureIdentical && options.base === undefined && options.baseBuild === undefined) {
        throw new RatchetError('ERR_RATCHET_USAGE', '--measure-identical: only with --base or --base-build (a run against the baseline measures everything)');
      }
      if (options.base !== undefined || options.baseBuild !== undefined) {
        const { relativeRunCommand } = await import('./commands/relative.js');
        return relativeRunCommand(ids, options, await commandContext(globals()));
      }
      const { runCommand } = await import('./commands/run.js');
      return runCommand(ids, options, await commandContext(globals()));
    }));

  withImportOptions(withPeerOptions(
    program
      .command('bench')
      .description('measure the suite and write the results; judge nothing')
      .argument('[benchmarks...]', 'benchmark ids (default: the whole suite of the backend); with --from, the harness\'s output files')
      .addOption(backendOption())
      .addOption(deviceOption(true))
      .addOption(shardOption())
      .option('--history [dir]', 'append this run to the run history (default dir: .ratchet/runs)'),
    'also measure the peers (all torch-sdpa backends, or the ones named) and write results/sota.*',
  ), "save another harness's output as the results instead of measuring (nvbench, google-benchmark, pytest-benchmark, triton, ratchet-samples)")
    .action(act(async (ids: string[], options) => {
      if (options.from !== undefined) {
        const { benchImportedCommand } = await import('./commands/imported.js');
        return benchImportedCommand(ids, options, await commandContext(globals()));
      }
      const { benchCommand } = await import('./commands/bench.js');
      return benchCommand(ids, options, await commandContext(globals()));
    }));

  withImportOptions(program
    .command('compare')
    .description("judge a saved results file (or, with --from, another harness's output) against the baseline")
    .argument('[files...]', "with --from: the harness's output files (or directories of them)")
    .option('--results <file>', 'RunResult JSON (default: paths.results of the config)')
    .option('--no-ratchet', 'judge only: never move the baseline')
    .option('--against <path>', "with --from: judge against this output of the harness (the base build's) instead of the baseline; nothing is moved"),
  "judge another harness's output (nvbench, google-benchmark, pytest-benchmark, triton, ratchet-samples)")
    .action(act(async (files: string[], options) => {
      if (options.from !== undefined) {
        const { compareImportedCommand } = await import('./commands/imported.js');
        return compareImportedCommand(files, options, await commandContext(globals()));
      }
      if (files.length > 0) throw new RatchetError('ERR_RATCHET_USAGE', `compare: files (${files.join(', ')}) are read with --from <format>; a results file of Ratchet's is --results <file>`);
      const { compareCommand } = await import('./commands/compare.js');
      return compareCommand(options, await commandContext(globals()));
    }));

  program
    .command('merge')
    .description('join the results of shards and devices of one commit: one comparison per device, one report with a section per device')
    .argument('<results...>', "each shard's results: its directory (a CI artifact: comparison.json and current.json) or its comparison file")
    .option('--ratchet', "move every device's baseline forward with the joined runs (main); default: judge only")
    .option('--out <dir>', 'where merged.json and report.md go (default: beside paths.comparison; the report at paths.report)')
    .option('--history <dir>', 'with --ratchet: the run history each device\'s joined run is appended to, on main or when named (default: .ratchet/runs)')
    .option('--no-history', 'neither read nor append the run history')
    .option('--dashboard-url <url>', "the dashboard the report links (default: the project's GitHub Pages site, once it keeps a history)")
    .action(act(async (results: string[], options) => {
      const { mergeCommand } = await import('./commands/merge.js');
      return mergeCommand(results, options, await commandContext(globals()));
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
      .addOption(backendOption())
      .addOption(deviceOption()),
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
    .addOption(deviceOption())
    .option('--budget <time>', 'total time to spend measuring: seconds, or with a unit (20s, 2m)', '120')
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
    .addOption(deviceOption())
    .option('--trials <n>', 'A/A comparisons per benchmark', '50')
    .option('--slowdowns <pcts>', 'injected slowdowns, percent, comma-separated', '1,2,3,5')
    .option('--sensitivity-trials <n>', 'comparisons per injected slowdown', '20')
    .option('--set-time-ms <ms>', 'cap on the time one comparison (both sample sets, interleaved) may take (default: the budget of the config)')
    .option('--set-min-samples <n>', 'fewest samples per side of one comparison (default: the budget of the config)')
    .option('--set-target <fraction>', "the stopping rule's CI target for one comparison, e.g. 0.002 (default: the budget of the config)")
    .option('--thresholds <pcts>', 'regression thresholds to judge the same comparisons at, comma-separated (default: thresholds.relativeRegressionPct)')
    .option('--suite-size <n>', 'judge every comparison as part of a pull request of n benchmarks, those not calibrated taken as unchanged (default: the whole suite of the backend, which a pull request runs)')
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
    .option('--history <dir>', 'the run history the trends come from (default: .ratchet/runs)')
    .option('--dashboard-url <url>', "the dashboard the comment links (default: the project's GitHub Pages site, once it keeps a history)")
    .option('--drift', 'after a run on main: check the run history for drift and open, update or close one GitHub issue per device (docs/ci.md)')
    .action(act(async (options) => {
      if (options.drift) {
        const { driftCommand } = await import('./commands/drift.js');
        return driftCommand(options, await commandContext(globals()));
      }
      const { ciCommand } = await import('./commands/ci.js');
      return ciCommand(options, await commandContext(globals()));
    }));

  program
    .command('dashboard')
    .description('the run history as a static site in one directory (trends per benchmark and device), for file:// or GitHub Pages')
    .option('--history <dir>', 'the run history (default: .ratchet/runs)')
    .option('--out <dir>', 'where the site goes; replaced as a whole (default: results/dashboard)')
    .action(act(async (options) => {
      const { dashboardCommand } = await import('./commands/dashboard.js');
      return dashboardCommand(options, await commandContext(globals()));
    }));

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
  withImportOptions(history
    .command('import')
    .description('add the runs saved as RunResult files (e.g. docs/results/*.json), Parquet files of history export, or with --from a harness\'s output files, that the history lacks')
    .argument('<files...>', 'saved results (comparisons and SOTA tables of the same runs add their verdicts and peers); with --format parquet, files or directories')
    .option('--format <format>', 'results (RunResult JSON files) or parquet (written by history export)', 'results')
    .option('--history <dir>', 'the run history (default: .ratchet/runs)'),
  "the files are another harness's output, each one run (nvbench, google-benchmark, pytest-benchmark, triton, ratchet-samples)")
    .action(act(async (files: string[], options) => {
      if (options.from !== undefined) {
        const { historyImportFromCommand } = await import('./commands/imported.js');
        return historyImportFromCommand(files, options, await commandContext(globals()));
      }
      const { historyImportCommand } = await import('./commands/history.js');
      return historyImportCommand(files, options, await commandContext(globals()));
    }));
  history
    .command('export')
    .description('write the run history as Parquet files, one row per benchmark per run, for DuckDB, ClickHouse or any engine that reads Parquet')
    .option('--format <format>', 'parquet', 'parquet')
    .option('--history <dir>', 'the run history (default: .ratchet/runs)')
    .option('--out <dir>', 'where the files go, as <device>/<YYYY-MM>.parquet (default: results/history-parquet)')
    .action(act(async (options) => {
      const { historyExportCommand } = await import('./commands/history.js');
      return historyExportCommand(options, await commandContext(globals()));
    }));

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
      .action(act(async (options) => {
        const { historyCheckoutCommand, historyPushCommand } = await import('./commands/history-branch.js');
        return (name === 'checkout' ? historyCheckoutCommand : historyPushCommand)(options, await commandContext(globals()));
      }));
  }

  program
    .command('problems')
    .description('list every problem this configuration can time: built-in, plugins, processes')
    .addOption(backendOption())
    .action(act(async (options) => {
      const { problemsCommand } = await import('./commands/problems.js');
      return problemsCommand(options, await commandContext(globals()));
    }));

  program
    .command('check')
    .description('check every suite of every backend against the problems declared (plugins loaded, processes asked); no device needed, nothing timed')
    .action(act(async () => {
      const { checkCommand } = await import('./commands/check.js');
      return checkCommand(await commandContext(globals()));
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

/**
 * Under --json an error is one JSON object on stderr, `{"error":{"code","message","exitCode"}}`
 * (stdout carries only results, so a consumer reading it never has to tell the two apart);
 * otherwise one `ratchet: ...` line.
 */
function reportError(json: boolean, code: RatchetErrorCode, message: string, exitCode: number): number {
  process.stderr.write(json ? `${JSON.stringify({ error: { code, message, exitCode } })}\n` : `ratchet: ${message}\n`);
  return exitCode;
}

/** Runs the CLI and returns its exit status; the only place errors become exit codes. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = exitCodes.ok;
  // Read before parsing: a usage error can stop the parse before --json is seen as an option.
  const json = argv.slice(2).includes('--json');
  const program = buildProgram((code) => {
    exitCode = code;
  }, { json });
  const uninstall = installSignalHandlers();
  try {
    await program.parseAsync([...argv]);
    // A signal stopped children (peers): what finished after it is not the whole job.
    if (interruptedSignal() !== null) throw interruptedError();
    return exitCode;
  } catch (error) {
    if (interruptedSignal() !== null) return reportError(json, 'ERR_RATCHET_INTERRUPTED', interruptedError().message, exitCodes.interrupted);
    if (error instanceof CommanderError) {
      // Help and --version end "with an error" in commander's terms; they are successes here.
      if (error.exitCode === 0) return exitCodes.ok;
      return json ? reportError(true, 'ERR_RATCHET_USAGE', error.message.replace(/^error: /, ''), exitCodes.badInput) : exitCodes.badInput;
    }
    if (isRatchetError(error)) return reportError(json, error.code, error.message, exitCodeFor(error.code));
    return reportError(json, 'ERR_RATCHET_INTERNAL', `internal error: ${(error as Error)?.stack ?? String(error)}`, exitCodes.internal);
  } finally {
    uninstall();
  }
}
