import { dirname, resolve } from 'node:path';
import { readText, readTextOrNone } from '@ratchet/files';
import {
  RatchetError,
  parseJsonText,
  validateConfigInput,
  type Backend,
  type RatchetConfig,
  type RatchetConfigInput,
  type RatchetPaths,
} from '@ratchet/types';
import { defaultConfig } from './defaults.js';

export const configFileName = 'ratchet.config.json';

/** A loaded configuration: every path absolute, resolved against the config file's directory. */
export interface LoadedConfig {
  config: RatchetConfig;
  /** The file it came from; null when none exists and the defaults apply. */
  file: string | null;
  /** The directory relative paths were resolved against. */
  root: string;
  /** One line each about the file that is not an error (a deprecated key read under its new name). */
  notices: string[];
}

/**
 * Whether a configuration brings problems of its own (plugins or processes). Its suites are then
 * its own: a backend it gives no suite has none, never Ratchet's built-in one (which timed the
 * built-in attention and wrote a baseline of it into the user's repository).
 */
export function declaresOwnProblems(config: Pick<RatchetConfig, 'plugins' | 'processes'>): boolean {
  return config.plugins.length > 0 || config.processes.length > 0;
}

/**
 * The defaults with a parsed ratchet.config.json laid over them, section by section. A backend
 * without a suite gets the built-in one, unless the file declares problems of its own.
 */
export function resolveConfig(input: RatchetConfigInput): RatchetConfig {
  const backends = Object.keys(defaultConfig.suites) as Backend[];
  const perBackend = <T>(base: Record<Backend, T>, pick: (backend: Backend) => T): Record<Backend, T> =>
    Object.fromEntries(backends.map((backend) => [backend, pick(backend) ?? base[backend]])) as Record<Backend, T>;
  const plugins = input.plugins ?? defaultConfig.plugins;
  const processes = input.processes ?? defaultConfig.processes;
  const ownSuites = declaresOwnProblems({ plugins, processes });
  return {
    ...(input.build ? { build: input.build } : {}),
    plugins,
    processes,
    suites: perBackend(defaultConfig.suites, (backend) => input.suites?.[backend] ?? (ownSuites ? [] : defaultConfig.suites[backend])),
    thresholds: { ...defaultConfig.thresholds, ...input.thresholds },
    budgets: perBackend(defaultConfig.budgets, (backend) => ({
      ...defaultConfig.budgets[backend],
      ...input.budgets?.[backend],
    })),
    paths: { ...defaultConfig.paths, ...movesKey(input.paths, null).paths },
  };
}

/**
 * The paths as written, with the moves log's old key (`paths.history`, before the run history
 * took that word) read as `paths.moves`, and a one-line notice saying so; both keys at once are
 * refused, since one of them would be ignored.
 */
function movesKey(paths: RatchetConfigInput['paths'], file: string | null): { paths: Partial<RatchetPaths>; notice: string | null } {
  if (paths?.history === undefined) return { paths: paths ?? {}, notice: null };
  const { history, ...rest } = paths;
  const where = file ?? 'the config';
  if (rest.moves !== undefined) {
    throw new RatchetError('ERR_RATCHET_INVALID_CONFIG', `${where}: paths.history and paths.moves both name the baseline's moves log: keep paths.moves`, { ...(file ? { file } : {}) });
  }
  return {
    paths: { ...rest, moves: history },
    notice: `${where}: paths.history is now called paths.moves (the baseline's moves log; the run history is --history): read as paths.moves, rename the key`,
  };
}

function absolutePaths(paths: RatchetPaths, root: string): RatchetPaths {
  return Object.fromEntries(
    Object.entries(paths).map(([name, path]) => [name, resolve(root, path)]),
  ) as unknown as RatchetPaths;
}

/**
 * Reads ratchet.config.json. With `explicitPath` (the CLI's --config) the file must exist;
 * otherwise `cwd/ratchet.config.json` is used when present and the defaults when not.
 */
export async function loadConfig(options: { cwd: string; explicitPath?: string }): Promise<LoadedConfig> {
  const file = resolve(options.cwd, options.explicitPath ?? configFileName);
  const fault = { code: 'ERR_RATCHET_INVALID_CONFIG', what: 'the config file' } as const;
  const text = options.explicitPath === undefined ? await readTextOrNone(file, fault) : await readText(file, fault);
  if (text === null) return { config: { ...defaultConfig, paths: absolutePaths(defaultConfig.paths, options.cwd) }, file: null, root: options.cwd, notices: [] };
  return configFromText(text, file, dirname(file));
}

/**
 * A config file's text, validated (errors name `file`) and resolved: defaults laid over, plugin
 * and output paths made absolute against `root`. Also reads another commit's version of the file
 * (relative mode's base), resolved against this checkout's config directory.
 */
export function configFromText(text: string, file: string, root: string): LoadedConfig {
  const input = validateConfigInput(parseJsonText(text, file, 'ERR_RATCHET_INVALID_CONFIG'), file);
  const { notice } = movesKey(input.paths, file);
  const config = resolveConfig(input);
  const plugins = config.plugins.map((plugin) => resolve(root, plugin));
  return { config: { ...config, plugins, paths: absolutePaths(config.paths, root) }, file, root, notices: notice ? [notice] : [] };
}
