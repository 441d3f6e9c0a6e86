// `ratchet history checkout` / `ratchet history push`: the run history kept on a branch of its own
// (ratchet-data), so the default branch gets no commit per run (docs/dashboard.md). The branch is
// checked out as a git worktree of the clone the workflow made, so that clone's credentials serve
// the fetch and the push alike; no script of Ratchet's is needed in a user's repository.
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { pathKind, writeFileAtomic } from '@ratchet/files';
import { RatchetError } from '@ratchet/types';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { repoRoot } from '../../git.js';
import { historyDir } from '../../run-history.js';

export interface HistoryBranchOptions {
  history?: string;
  branch: string;
  remote: string;
}

/** Concurrent pushes from several runners: rebase over the other's and try again this many times. */
const pushAttempts = 3;
const bot = ['-c', 'user.name=ratchet-bot', '-c', 'user.email=ratchet-bot@users.noreply.github.com'];

function git(cwd: string, args: readonly string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim().split('\n').slice(-1)[0];
    throw new RatchetError('ERR_RATCHET_USAGE', `git ${args.filter((a) => !a.startsWith('user.')).join(' ')} failed: ${stderr || (error as Error).message}`);
  }
}

function tryGit(cwd: string, args: readonly string[]): boolean {
  try {
    execFileSync('git', args, { cwd, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const fetchBranch = (cwd: string, options: HistoryBranchOptions) => tryGit(cwd, ['fetch', '--quiet', options.remote, `+refs/heads/${options.branch}:refs/remotes/${options.remote}/${options.branch}`]);

/** `history checkout`: the branch at the history directory; an empty history where the remote has none (or none this token may read). */
export async function historyCheckoutCommand(options: HistoryBranchOptions, context: CommandContext): Promise<number> {
  const dir = historyDir(options, context);
  const top = repoRoot(context.cwd);
  if (pathKind(dir) !== null) throw new RatchetError('ERR_RATCHET_USAGE', `history checkout: ${displayPath(dir, context.cwd)} already exists: remove it or name another directory with --history`);
  const say = (line: string) => (context.output.quiet ? undefined : context.output.err(line));
  if (fetchBranch(top, options)) {
    git(top, ['worktree', 'add', '--quiet', '-B', options.branch, dir, `${options.remote}/${options.branch}`]);
    say(`history: ${options.branch} at ${displayPath(dir, context.cwd)}`);
    return exitCodes.ok;
  }
  say(`history: no branch ${options.branch} on ${options.remote} (or no access to it): ${displayPath(dir, context.cwd)} starts an empty history`);
  git(top, ['worktree', 'add', '--quiet', '--detach', dir]);
  git(dir, ['checkout', '--quiet', '--orphan', options.branch]);
  git(dir, ['rm', '-rfq', '--ignore-unmatch', '.']);
  await writeFileAtomic(join(dir, '.gitattributes'), '# Runs appended on two machines merge line by line.\n*.jsonl merge=union\n');
  return exitCodes.ok;
}

/** `history push`: commits what ratchet appended and pushes it, rebasing over a concurrent push (the union merge keeps both runners' lines). */
export function historyPushCommand(options: HistoryBranchOptions, context: CommandContext): number {
  const dir = historyDir(options, context);
  if (pathKind(join(dir, '.git')) === null) throw new RatchetError('ERR_RATCHET_USAGE', `history push: ${displayPath(dir, context.cwd)} is not a checkout of the history branch: run ratchet history checkout first`);
  const say = (line: string) => (context.output.quiet ? undefined : context.output.out(line));
  git(dir, ['add', '-A']);
  if (tryGit(dir, ['diff', '--cached', '--quiet'])) {
    say(`history: nothing new in ${displayPath(dir, context.cwd)}`);
    return exitCodes.ok;
  }
  const head = git(repoRoot(context.cwd), ['rev-parse', '--short=12', 'HEAD']);
  git(dir, [...bot, 'commit', '--quiet', '-m', `run history: runs of ${head}`]);
  for (let attempt = 1; attempt <= pushAttempts; attempt += 1) {
    if (tryGit(dir, ['push', '--quiet', options.remote, `HEAD:refs/heads/${options.branch}`])) {
      say(`history: pushed ${options.branch}`);
      return exitCodes.ok;
    }
    context.output.err(`history: push refused (attempt ${attempt} of ${pushAttempts}): rebasing onto ${options.remote}/${options.branch}`);
    fetchBranch(dir, options);
    git(dir, [...bot, 'rebase', '--quiet', `${options.remote}/${options.branch}`]);
  }
  throw new RatchetError('ERR_RATCHET_GITHUB', `history push: could not push ${options.branch} to ${options.remote} after ${pushAttempts} attempts (${relative(context.cwd, dir) || '.'})`);
}
