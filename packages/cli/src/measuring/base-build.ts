import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { spawnGroup } from '@ratchet/core';
import { git, repoRoot, resolveCommit } from '../git.js';
import { RatchetError, type BuildSpec } from '@ratchet/types';
import { throwIfInterrupted } from '../signals.js';

/** A checkout of the code to compare against: where its config directory is, and its own addon if it builds one. */
export interface BaseCheckout {
  sha: string;
  /** The top of that checkout. */
  root: string;
  /** The base's counterpart of the config directory: plugins and processes are found relative to it. */
  configRoot: string;
  /** The addon that checkout built (BuildSpec.addon); null: the installed addon serves both sides. */
  addonPath: string | null;
}

/** The commit a prebuilt base checkout was built from: its SHA file, or `unknown`. */
export function prebuiltSha(root: string): string {
  const shaFile = join(root, 'SHA');
  return existsSync(shaFile) ? readFileSync(shaFile, 'utf8').trim() : 'unknown';
}

function addonIn(repoTop: string, build: BuildSpec | undefined, label: string): string | null {
  if (!build?.addon) return null;
  const addonPath = resolve(repoTop, build.addon);
  if (!existsSync(addonPath)) throw new RatchetError('ERR_RATCHET_FILE_NOT_FOUND', `${label}: no built addon at ${build.addon} (the config's build.addon)`);
  return addonPath;
}

/** Where the config directory of this checkout stands in another checkout of the same repository. */
function counterpart(configRoot: string, top: string, otherTop: string): string {
  const inside = relative(top, configRoot);
  // A config kept outside the repository has no counterpart: its plugins and processes serve both sides.
  return inside.startsWith('..') ? configRoot : join(otherTop, inside);
}

/**
 * A base checkout built elsewhere (another CI job, another machine), used as it is: `root` is the
 * top of that checkout; its commit comes from a SHA file there when there is one.
 */
export function prebuiltBase(cwd: string, configRoot: string, root: string, build: BuildSpec | undefined): BaseCheckout {
  if (!existsSync(root)) throw new RatchetError('ERR_RATCHET_FILE_NOT_FOUND', `--base-build ${root}: no such directory`);
  return { sha: prebuiltSha(root), root, configRoot: counterpart(configRoot, repoRoot(cwd), root), addonPath: addonIn(root, build, `--base-build ${root}`) };
}

/**
 * The build command, as a child in its own process group so an interrupt stops it with its
 * cmake, make and nvcc (spawnSync would also keep the event loop, and so the signal, waiting).
 */
function runBuild(command: readonly string[], root: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawnGroup(command[0]!, command.slice(1), { cwd: root });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolvePromise({ status: null, stdout, stderr: error.message }));
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

/**
 * The ref checked out beside the repository (a git worktree under .ratchet-cache/, one per
 * commit), built there with the config's build command (run at the top of that checkout),
 * reusing this checkout's node_modules.
 */
export async function buildBase(cwd: string, configRoot: string, ref: string, build: BuildSpec | undefined, log: (line: string) => void): Promise<BaseCheckout> {
  const top = repoRoot(cwd);
  const sha = resolveCommit(top, ref);
  const root = join(top, '.ratchet-cache', `base-${sha.slice(0, 12)}`);
  if (!existsSync(root)) git(top, ['worktree', 'add', '--detach', root, sha]);
  for (const modules of ['node_modules', 'native/node_modules']) {
    if (!existsSync(join(root, modules)) && existsSync(join(top, modules))) symlinkSync(join(top, modules), join(root, modules), 'dir');
  }
  // Run every time: the build tool decides what is up to date (an environment change such as
  // RATCHET_CUDA=0 must rebuild, and only it knows).
  if (build) {
    log(`building the base ${ref} (${sha.slice(0, 12)}) in ${relative(cwd, root)}: ${build.command.join(' ')} ...`);
    const built = await runBuild(build.command, root);
    throwIfInterrupted();
    if (built.status !== 0) {
      const output = `${built.stderr}${built.stdout}`.trim().split('\n').slice(-3).join(' | ');
      throw new RatchetError('ERR_RATCHET_NATIVE_LOAD', `--base ${ref}: its build (${build.command.join(' ')}) failed: ${output}`);
    }
  }
  return { sha, root, configRoot: counterpart(configRoot, top, root), addonPath: addonIn(root, build, `--base ${ref}`) };
}
