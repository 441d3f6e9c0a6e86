import { execFileSync } from 'node:child_process';
import type { GitInfo } from '@ratchet/types';

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The commit being measured; null outside a git checkout (or without git). */
export function gitInfo(cwd: string): GitInfo | null {
  const sha = git(cwd, ['rev-parse', 'HEAD']);
  if (sha === null) return null;
  const branch = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  const status = git(cwd, ['status', '--porcelain', '--untracked-files=no']);
  return { sha, branch: branch === 'HEAD' ? null : branch, dirty: status !== null && status.length > 0 };
}
