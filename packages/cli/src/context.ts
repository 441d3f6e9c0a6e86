import { loadConfig, type LoadedConfig } from '@ratchet/core';
import { createOutput, type Output } from './output.js';

/** Options every command accepts (declared once on the program). */
export interface GlobalOptions {
  config?: string;
  json?: boolean;
  quiet?: boolean;
}

export interface CommandContext {
  loaded: LoadedConfig;
  output: Output;
  cwd: string;
}

export async function commandContext(globals: GlobalOptions, cwd = process.cwd()): Promise<CommandContext> {
  const output = createOutput({ quiet: Boolean(globals.quiet), json: Boolean(globals.json) });
  const loaded = await loadConfig(globals.config === undefined ? { cwd } : { cwd, explicitPath: globals.config });
  // A deprecated key read under its new name: one line, as warnings go (stderr, quiet hides it).
  if (!output.quiet) for (const notice of loaded.notices) output.err(output.color.yellow(`warning: ${displayPath(notice, cwd)}`));
  return { loaded, output, cwd };
}

/** A path as the user would type it: relative to where they ran the command. */
export function displayPath(path: string, cwd: string): string {
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}
