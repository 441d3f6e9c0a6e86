// `ratchet history checkout` and `ratchet history push` (which replace scripts/history-branch.sh)
// against a real bare repository standing in for GitHub: the data branch is created on the first
// push, found by later clones, and two runners pushing at once both keep their lines.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ratchet } from './cli-harness.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
/** `ratchet history <command>` in a clone; throws with its stderr when it fails, as execFileSync would. */
function branchScript(cwd: string, command: 'checkout' | 'push'): string {
  const result = ratchet(cwd, ['history', command]);
  if (result.status !== 0) throw new Error(`ratchet history ${command} exited ${result.status}: ${result.stderr}`);
  return result.stdout + result.stderr;
}

function origin(): string {
  const root = mkdtempSync(join(tmpdir(), 'ratchet-data-branch-'));
  const bare = join(root, 'origin.git');
  git(root, 'init', '-q', '--bare', '-b', 'main', bare);
  const seed = join(root, 'seed');
  git(root, 'clone', '-q', bare, seed);
  writeFileSync(join(seed, 'README.md'), 'the project\n');
  git(seed, 'add', '.');
  git(seed, 'commit', '-qm', 'main');
  git(seed, 'push', '-q', 'origin', 'main');
  return bare;
}

function clone(bare: string, name: string): string {
  const dir = join(dirname(bare), name);
  git(dirname(bare), 'clone', '-q', bare, dir);
  return dir;
}

/** A test's timeout: about 5 s for each process it starts (git, ratchet; many on a loaded machine). */
const processes = (n: number) => n * 5_000;

const shard = 'gpu_a/2026-12.jsonl';
function append(runs: string, line: string): void {
  mkdirSync(join(runs, 'gpu_a'), { recursive: true });
  appendFileSync(join(runs, shard), `${line}\n`);
}

/** A clone of `bare` with the data branch checked out, and `line` appended and pushed, when given. */
function runner(bare: string, name: string, line?: string): string {
  const dir = clone(bare, name);
  branchScript(dir, 'checkout');
  if (line === undefined) return dir;
  append(join(dir, '.ratchet/runs'), line);
  branchScript(dir, 'push');
  return dir;
}

describe('ratchet history checkout / push', () => {
  it('starts the data branch on the first push and checks it out in a later clone, main untouched', () => {
    const bare = origin();
    runner(bare, 'first', '{"run":1}');
    expect(git(bare, 'show', `ratchet-data:${shard}`)).toBe('{"run":1}');
    expect(git(bare, 'show', 'ratchet-data:.gitattributes')).toMatch(/\*\.jsonl merge=union/);
    expect(git(bare, 'ls-tree', '--name-only', 'ratchet-data')).not.toMatch(/README/);
    expect(git(bare, 'log', '--format=%s', 'main')).toBe('main');
    const later = runner(bare, 'later');
    expect(readFileSync(join(later, '.ratchet/runs', shard), 'utf8')).toBe('{"run":1}\n');
    expect(branchScript(later, 'push')).toMatch(/nothing new/);
  }, processes(18));

  it('keeps both runners’ lines when two push to the same shard at once', () => {
    const bare = origin();
    runner(bare, 'seed2', '{"run":1}');
    const [a, b] = [runner(bare, 'a'), runner(bare, 'b')];
    append(join(a, '.ratchet/runs'), '{"run":"a"}');
    append(join(b, '.ratchet/runs'), '{"run":"b"}');
    branchScript(a, 'push');
    branchScript(b, 'push');
    expect(git(bare, 'show', `ratchet-data:${shard}`).split('\n').sort()).toEqual(['{"run":"a"}', '{"run":"b"}', '{"run":1}'].sort());
  }, processes(24));

  it('refuses to check out over a directory that is already there', () => {
    const dir = clone(origin(), 'busy');
    mkdirSync(join(dir, '.ratchet/runs'), { recursive: true });
    expect(() => branchScript(dir, 'checkout')).toThrow(/exited 2: ratchet: history checkout: \.ratchet\/runs already exists: remove it or name another directory with --history/);
  }, processes(4));
});
