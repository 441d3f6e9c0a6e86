// What every command's register(program, kit) is given: an action that runs the command's work
// with its context (config and output) and sets the exit status it returns, and the options
// several commands share. Commands load their work lazily (`await import`), so `ratchet --help`
// and `--version` pay for no addon, statistics or GitHub client.
import { importFormats } from '@ratchet/types';
import { Option, type Command } from 'commander';
import { commandContext, type CommandContext, type GlobalOptions } from './context.js';

export interface CommandKit {
  /** A commander action: `work` gets the command's context and its arguments, and returns the exit status. */
  action<A extends unknown[]>(work: (context: CommandContext, ...args: A) => Promise<number>): (...args: A) => Promise<void>;
  /** `--backend auto|cpu|cuda`. */
  backendOption(): Option;
  /** A command that measures the suite, or the benchmarks named: `<name> [benchmarks...] --backend`. */
  measuringCommand(program: Command, name: string, description: string, benchmarksHelp?: string): Command;
  /** The options that bring peers into a command (`sota`, and `run`/`bench` with --peers). */
  withPeerOptions(command: Command, peersHelp: string): Command;
  /** The options of a command that reads another harness's output (`--from`; docs/harnesses.md). */
  withImportOptions(command: Command, fromHelp: string): Command;
}

export function commandKit(program: Command, setExitCode: (code: number) => void): CommandKit {
  const backendOption = () => new Option('--backend <backend>', 'where to measure: auto takes the GPU when one is present').choices(['auto', 'cpu', 'cuda']).default('auto');
  return {
    action: (work) => async (...args) => setExitCode(await work(await commandContext(program.opts<GlobalOptions>()), ...args)),
    backendOption,
    measuringCommand: (parent, name, description, benchmarksHelp = 'benchmark ids (default: the whole suite of the backend)') =>
      parent.command(name).description(description).argument('[benchmarks...]', benchmarksHelp).addOption(backendOption()),
    withPeerOptions: (command, peersHelp) =>
      command
        .option('--peers [names...]', peersHelp)
        .option('--python <path>', 'Python interpreter with PyTorch for the torch-sdpa peers', 'python3')
        .option('--peer-samples <n>', 'the least samples each side (ours and every peer) takes per benchmark, interleaved', '100')
        .option('--peer-timeout <seconds>', 'how long one request to a peer (open, check, a batch of samples) may go unanswered before it is stopped', '120'),
    withImportOptions: (command, fromHelp) =>
      command
        .addOption(new Option('--from <format>', fromHelp).choices(importFormats))
        .option('--unit <unit>', 'with --from triton: what the benchmarked function returns (ns, us, ms, s); a perf_report CSV says no unit')
        .option('--device <name>', 'with --from: which device of a file that holds several (nvbench: id or name), or the device a file that names none was measured on (triton)')
        .option('--x-names <names>', "with --from triton: the CSV's x_names columns, comma-separated (default: the first column and its copies)"),
  };
}
