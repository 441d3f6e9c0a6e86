import { dirname, join, resolve } from 'node:path';
import { readMoves } from '@ratchet/files';
import { siteDataBuilder, writeSite } from '@ratchet/dashboard';
import { commitUrlPrefix, projectOf, scanRunHistory } from '@ratchet/history';
import { RatchetError } from '@ratchet/types';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { historyDir, warnSkipped } from '../../run-history.js';

export interface DashboardOptions {
  history?: string;
  out?: string;
}

/**
 * `ratchet dashboard`: the run history and the baseline's moves as a static site in one
 * directory (default results/dashboard), for file:// or GitHub Pages (docs/dashboard.md).
 */
export async function dashboardCommand(options: DashboardOptions, context: CommandContext): Promise<number> {
  const { paths } = context.loaded.config;
  const dir = historyDir(options, context);
  const out = options.out ? resolve(context.cwd, options.out) : join(dirname(paths.report), 'dashboard');
  const events = await readMoves(paths.moves);
  const project = projectOf(context.cwd);
  // Each record becomes columns as it is read: half a million entries are never all held at once.
  const builder = siteDataBuilder(events, { generatedAt: new Date().toISOString(), project, commitUrl: commitUrlPrefix(project) });
  const history = await scanRunHistory(dir, (record) => builder.add(record), { project }).catch((error: unknown) => {
    if ((error as RatchetError).code !== 'ERR_RATCHET_FILE_NOT_FOUND') throw error;
    throw new RatchetError('ERR_RATCHET_FILE_NOT_FOUND', `${displayPath(dir, context.cwd)}: no run history here (\`ratchet run\` on main appends to it; \`ratchet history import docs/results/*.json\` fills it from saved runs)`, { file: dir });
  });
  warnSkipped(history.skipped, context);
  const data = { ...builder.finish(), project: history.project, commitUrl: commitUrlPrefix(history.project) };
  await writeSite(out, data);
  const benchmarks = new Set(data.devices.flatMap((d) => d.benchmarks.map((b) => b.id))).size;
  if (context.output.json) context.output.out(JSON.stringify({ out, runs: history.count, benchmarks, devices: data.devices.length, skippedLines: history.skipped.length }));
  else if (!context.output.quiet) {
    context.output.out(`dashboard: ${history.count} runs of ${benchmarks} benchmarks on ${data.devices.length} device(s) -> ${displayPath(join(out, 'index.html'), context.cwd)}`);
  }
  return exitCodes.ok;
}
