import { createRequire } from 'node:module';
import { Command } from 'commander';
import { commandKit } from './command-kit.js';
import { commands } from './commands/index.js';

/** The CLI package's version (dist/ and src/ both sit one level below its package.json). */
export const version: string = createRequire(import.meta.url)('../package.json').version;

/**
 * The `ratchet` program: the options every command accepts, then every command, each registering
 * itself (commands/index.ts). `setExitCode` receives the status of the command that ran.
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
  const kit = commandKit(program, setExitCode);
  for (const register of commands) register(program, kit);
  return program;
}
