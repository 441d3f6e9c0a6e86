import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet calibrate`: how far the verdicts can be trusted, measured (calibrate.ts). */
export function register(program: Command, kit: CommandKit): void {
  kit.measuringCommand(program, 'calibrate', 'measure how far verdicts can be trusted: A/A false alarms, noise floor, detection of injected slowdowns')
    .option('--trials <n>', 'A/A comparisons per benchmark', '50')
    .option('--slowdowns <pcts>', 'injected slowdowns, percent, comma-separated', '1,2,3,5')
    .option('--sensitivity-trials <n>', 'comparisons per injected slowdown', '20')
    .option('--set-time-ms <ms>', 'cap on the time one comparison (both sample sets, interleaved) may take (default: the budget of the config)')
    .option('--set-min-samples <n>', 'fewest samples per side of one comparison (default: the budget of the config)')
    .option('--set-target <fraction>', "the stopping rule's CI target for one comparison, e.g. 0.002 (default: the budget of the config)")
    .option('--thresholds <pcts>', 'regression thresholds to judge the same comparisons at, comma-separated (default: thresholds.relativeRegressionPct)')
    .option('--suite-size <n>', 'judge every comparison as part of a pull request of n benchmarks, those not calibrated taken as unchanged (default: the whole suite of the backend, which a pull request runs)')
    .action(kit.action(async (context, ids: string[], options) => (await import('./calibrate.js')).calibrateCommand(ids, options, context)));
}
