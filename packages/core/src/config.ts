import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
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
    paths: { ...defaultConfig.paths, ...input.paths },
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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.explicitPath === undefined) {
      return { config: { ...defaultConfig, paths: absolutePaths(defaultConfig.paths, options.cwd) }, file: null, root: options.cwd };
    }
    const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new RatchetError(
      code === 'ENOENT' ? 'ERR_RATCHET_FILE_NOT_FOUND' : 'ERR_RATCHET_INVALID_CONFIG',
      `${file}: cannot read the config file (${why})`,
      { file, cause: error },
    );
  }
  return configFromText(text, file, dirname(file));
}

/**
 * A config file's text, validated (errors name `file`) and resolved: defaults laid over, plugin
 * and output paths made absolute against `root`. Also reads another commit's version of the file
 * (relative mode's base), resolved against this checkout's config directory.
 */
export function configFromText(text: string, file: string, root: string): LoadedConfig {
  const input = validateConfigInput(parseJsonText(text, file, 'ERR_RATCHET_INVALID_CONFIG'), file);
  const config = resolveConfig(input);
  const plugins = config.plugins.map((plugin) => resolve(root, plugin));
  return { config: { ...config, plugins, paths: absolutePaths(config.paths, root) }, file, root };
}
