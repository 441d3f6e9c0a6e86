// What every command's register(program, kit) is given: an action that runs the command's work
// with its context (config and output) and sets the exit status it returns, and the options
// several commands share. Commands load their work lazily (`await import`), and so does this
// file (the context: config loading, output): `ratchet --help` and `--version` load commander
// and the commands' registrations, no addon, schema (TypeBox), statistics or GitHub client.
import { importFormats } from '@ratchet/types/import-formats';
import { Option, type Command } from 'commander';
import type { CommandContext, GlobalOptions } from './context.js';
import { armWorkStops } from './signals.js';

export interface CommandKit {
  /** A commander action: `work` gets the command's context and its arguments, and returns the exit status. */
  action<A extends unknown[]>(work: (context: CommandContext, ...args: A) => Promise<number>): (...args: A) => Promise<void>;
  /** `--backend auto|cpu|cuda`. */
  backendOption(): Option;
  /** `--shard i/n`: one slice of the suite (run, bench; `ratchet merge` joins the shards). */
  shardOption(): Option;
  /**
   * A command that measures the suite, or the benchmarks named: `<name> [benchmarks...] --backend
   * --device`. `imports`: the command takes --from too, where --device names the harness's device.
   */
  measuringCommand(program: Command, name: string, description: string, options?: { benchmarksHelp?: string; imports?: boolean }): Command;
  /** The options that bring peers into a command (`sota`, and `run`/`bench` with --peers). */
  withPeerOptions(command: Command, peersHelp: string): Command;
  /**
   * The options of a command that reads another harness's output (`--from`; docs/harnesses.md). A
   * command that also measures has one --device already (measuringCommand): with --from it names
   * the harness's device, else it picks the GPU.
   */
  withImportOptions(command: Command, fromHelp: string): Command;
}

const importDeviceHelp = 'with --from: which device of a file that holds several (nvbench: id or name), or the device a file that names none was measured on (triton)';

/** `--device` of a measuring command; `imports`: the command takes --from too, where it names the harness's device. */
const deviceOption = (imports: boolean) =>
  new Option(
    imports ? '--device <index|uuid|name>' : '--device <index|uuid>',
    `which device of the backend: an index (CUDA's, after CUDA_VISIBLE_DEVICES) or a GPU UUID, as ratchet devices lists them (default: the first)${imports ? `; ${importDeviceHelp}` : ''}`,
  );

export function commandKit(program: Command, setExitCode: (code: number) => void): CommandKit {
  const backendOption = () => new Option('--backend <backend>', 'where to measure: auto takes the GPU when one is present').choices(['auto', 'cpu', 'cuda']).default('auto');
  return {
    action: (work) => async (...args) => {
      const [{ commandContext }] = await Promise.all([import('./context.js'), armWorkStops()]);
      setExitCode(await work(await commandContext(program.opts<GlobalOptions>()), ...args));
    },
    backendOption,
    shardOption: () =>
      new Option('--shard <i/n>', 'measure shard i of n: a slice of the suite balanced by expected cost, the same on every machine (ratchet merge joins them)'),
    measuringCommand: (parent, name, description, { benchmarksHelp = 'benchmark ids (default: the whole suite of the backend)', imports = false } = {}) =>
      parent.command(name).description(description).argument('[benchmarks...]', benchmarksHelp).addOption(backendOption()).addOption(deviceOption(imports)),
    withPeerOptions: (command, peersHelp) =>
      command
        .option('--peers [names...]', peersHelp)
        .option('--python <path>', 'Python interpreter with PyTorch for the torch-sdpa peers', 'python3')
        .option('--peer-samples <n>', 'the least samples each side (ours and every peer) takes per benchmark, interleaved', '100')
        .option('--peer-timeout <seconds>', 'how long one request to a peer (open, check, a batch of samples) may go unanswered before it is stopped', '120'),
    withImportOptions: (command, fromHelp) => {
      command
        .addOption(new Option('--from <format>', fromHelp).choices(importFormats))
        .option('--unit <unit>', 'with --from triton: what the benchmarked function returns (ns, us, ms, s); a perf_report CSV says no unit');
      if (!command.options.some((option) => option.long === '--device')) command.option('--device <name>', importDeviceHelp);
      return command.option('--x-names <names>', "with --from triton: the CSV's x_names columns, comma-separated (default: the first column and its copies)");
    },
  };
}
