import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnGroup } from '@ratchet/core';
import { RatchetError } from '@ratchet/types';
import { throwIfInterrupted } from './signals.js';

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
 * The base's native build, as a child in its own process group so an interrupt stops it with
 * its cmake, make and nvcc (spawnSync would also keep the event loop, and so the signal, waiting).
 */
function runBuild(root: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnGroup(process.execPath, ['native/scripts/build.mjs'], { cwd: root });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve({ status: null, stdout, stderr: error.message }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * The base ref checked out beside the repository (a git worktree under .ratchet-cache/) with its
 * addon built there, reusing this checkout's node_modules. Built once per commit.
 */
export async function buildBase(cwd: string, ref: string, log: (line: string) => void): Promise<{ sha: string; root: string; addonPath: string }> {
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
    const build = await runBuild(root);
    throwIfInterrupted();
    if (build.status !== 0 || !existsSync(addonPath)) {
      throw new RatchetError('ERR_RATCHET_NATIVE_LOAD', `--base ${ref}: building its addon failed: ${(build.stderr || build.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    }
  }
  return { sha, root, addonPath };
}
