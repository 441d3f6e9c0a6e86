import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet merge`: the shards of one commit on every device joined into one comparison per device and one report (merge.ts). */
export function register(program: Command, kit: CommandKit): void {
  program
    .command('merge')
    .description('join the results of shards and devices of one commit: one comparison per device, one report with a section per device')
    .argument('<results...>', "each shard's results: its directory (a CI artifact: comparison.json and current.json) or its comparison file")
    .option('--ratchet', "move every device's baseline forward with the joined runs (main); default: judge only")
    .option('--out <dir>', 'where merged.json and report.md go (default: beside paths.comparison; the report at paths.report)')
    .option('--history <dir>', 'with --ratchet: the run history each device\'s joined run is appended to, on main or when named (default: .ratchet/runs)')
    .option('--no-history', 'neither read nor append the run history')
    .option('--dashboard-url <url>', "the dashboard the report links (default: the project's GitHub Pages site, once it keeps a history)")
    .action(kit.action(async (context, results: string[], options) => (await import('./merge.js')).mergeCommand(results, options, context)));
}
