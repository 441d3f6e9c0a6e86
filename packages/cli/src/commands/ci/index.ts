import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet ci`: the saved comparison (or a merge's) onto GitHub (ci.ts); with --drift, the run history's drift kept as issues (drift.ts). */
export function register(program: Command, kit: CommandKit): void {
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
    .action(kit.action(async (context, options) => {
      if (options.drift) return (await import('./drift.js')).driftCommand(options, context);
      return (await import('./ci.js')).ciCommand(options, context);
    }));
}
