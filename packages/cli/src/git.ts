// git, asked at the edge: what commit is measured, where the checkout's top is, what a ref names,
// a file as a commit has it, a worktree of another commit.
import { execFileSync } from 'node:child_process';
import { RatchetError, type GitInfo } from '@ratchet/types';

/** `git <args>` in `cwd`, its output trimmed; null when it fails (no git, not a checkout, no such object). */
function gitOrNull(cwd: string, args: string[], trim = true): string | null {
  try {
    const output = execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return trim ? output.trim() : output;
  } catch {
    return null;
  }
}

/** `git <args>` in `cwd`, its output trimmed; a failure is a usage error naming the command and git's first line. */
export function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0];
    throw new RatchetError('ERR_RATCHET_USAGE', `git ${args.join(' ')} failed: ${stderr || (error as Error).message}`);
  }
}

/** The commit being measured; null outside a git checkout (or without git). */
export function gitInfo(cwd: string): GitInfo | null {
  const sha = gitOrNull(cwd, ['rev-parse', 'HEAD']);
  if (sha === null) return null;
  const branch = gitOrNull(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  const status = gitOrNull(cwd, ['status', '--porcelain', '--untracked-files=no']);
  return { sha, branch: branch === 'HEAD' ? null : branch, dirty: status !== null && status.length > 0 };
}

/** The top of the git checkout holding `cwd`. */
export function repoRoot(cwd: string): string {
  return git(cwd, ['rev-parse', '--show-toplevel']);
}

/** The commit `ref` names in the checkout holding `cwd`. */
export function resolveCommit(cwd: string, ref: string): string {
  return git(repoRoot(cwd), ['rev-parse', '--verify', `${ref}^{commit}`]);
}

/** `git show <sha>:<path>`; null when that commit has no such file (or no such commit). */
export function fileAtCommit(top: string, sha: string, path: string): string | null {
  return gitOrNull(top, ['show', `${sha}:${path}`], false);
}
