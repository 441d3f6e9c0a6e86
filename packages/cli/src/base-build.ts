import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RatchetError } from '@ratchet/types';

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0];
    throw new RatchetError('ERR_RATCHET_USAGE', `git ${args.join(' ')} failed: ${stderr || (error as Error).message}`);
  }
}

/** A base checkout built elsewhere: its kernels/ and native/build/Release/ratchet_native.node are used as they are. */
export function prebuiltBase(root: string): { sha: string; root: string; addonPath: string } {
  const addonPath = join(root, 'native/build/Release/ratchet_native.node');
  if (!existsSync(addonPath)) throw new RatchetError('ERR_RATCHET_FILE_NOT_FOUND', `--base-build ${root}: no built addon at native/build/Release/ratchet_native.node`);
  const shaFile = join(root, 'SHA');
  return { sha: existsSync(shaFile) ? readFileSync(shaFile, 'utf8').trim() : 'unknown', root, addonPath };
}

/** The top of the git checkout holding `cwd`. */
export function repoRoot(cwd: string): string {
  return git(cwd, ['rev-parse', '--show-toplevel']);
}

/**
 * The base ref checked out beside the repository (a git worktree under .ratchet-cache/) with its
 * addon built there, reusing this checkout's node_modules. Built once per commit.
 */
export function buildBase(cwd: string, ref: string, log: (line: string) => void): { sha: string; root: string; addonPath: string } {
  const top = repoRoot(cwd);
  const sha = git(top, ['rev-parse', '--verify', `${ref}^{commit}`]);
  const root = join(top, '.ratchet-cache', `base-${sha.slice(0, 12)}`);
  if (!existsSync(root)) git(top, ['worktree', 'add', '--detach', root, sha]);
  for (const modules of ['node_modules', 'native/node_modules']) {
    if (!existsSync(join(root, modules)) && existsSync(join(top, modules))) symlinkSync(join(top, modules), join(root, modules), 'dir');
  }
  const addonPath = join(root, 'native/build/Release/ratchet_native.node');
  if (!existsSync(join(root, 'native/scripts/build.mjs'))) {
    throw new RatchetError('ERR_RATCHET_USAGE', `--base ${ref}: ${sha.slice(0, 12)} has no native/scripts/build.mjs (too old for relative mode)`);
  }
  if (!existsSync(addonPath)) {
    log(`building the base ${ref} (${sha.slice(0, 12)}) in ${relative(cwd, root)} ...`);
    const build = spawnSync(process.execPath, ['native/scripts/build.mjs'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (build.status !== 0 || !existsSync(addonPath)) {
      throw new RatchetError('ERR_RATCHET_NATIVE_LOAD', `--base ${ref}: building its addon failed: ${(build.stderr || build.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    }
  }
  return { sha, root, addonPath };
}
