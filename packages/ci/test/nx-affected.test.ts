import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from './workspace.js';

const script = join(workspaceRoot, 'scripts/ci/nx-affected.sh');
const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

/** A repository with two commits on main and a branch one commit ahead, as GitHub's clone sees it. */
function upstream(): { dir: string; mainSha: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-upstream-'));
  git(dir, 'init', '-q', '-b', 'main');
  for (const name of ['a', 'b']) {
    writeFileSync(join(dir, name), name);
    git(dir, 'add', name);
    git(dir, 'commit', '-q', '-m', name);
  }
  const mainSha = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '-b', 'feature');
  writeFileSync(join(dir, 'c'), 'c');
  git(dir, 'add', 'c');
  git(dir, 'commit', '-q', '-m', 'c');
  return { dir, mainSha };
}

function clone(source: string, branch: string, depth?: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-clone-'));
  git(dir, 'clone', '-q', ...(depth ? ['--depth', String(depth)] : []), '--branch', branch, `file://${source}`, 'repo');
  return join(dir, 'repo');
}

/** What the script would run, with nx replaced by echo. */
function wouldRun(cwd: string): string {
  const result = spawnSync('bash', [script, 'lint', 'test'], { cwd, env: { ...process.env, NX: 'echo nx' }, encoding: 'utf8', timeout: 120_000 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim().split('\n').at(-1)!;
}

describe('scripts/ci/nx-affected.sh (ci.yml)', () => {
  const { dir, mainSha } = upstream();

  it('runs nx affected against the merge base with main on a full clone of a branch', () => {
    expect(wouldRun(clone(dir, 'feature'))).toBe(`nx affected -t lint,test --base=${mainSha} --head=HEAD --outputStyle=static`);
  });

  it('falls back to run-many in a shallow clone, where nx affected cannot find a base', () => {
    expect(wouldRun(clone(dir, 'feature', 1))).toBe('nx run-many -t lint,test --outputStyle=static');
  });

  it('runs everything on main itself', () => {
    expect(wouldRun(clone(dir, 'main'))).toBe('nx run-many -t lint,test --outputStyle=static');
  });
});

describe('scripts/ci/needs-gpu.sh (ratchet.yml: does a change need the GPU?)', () => {
  const { dir, mainSha } = upstream();
  const needsGpu = (cwd: string, base: string, projects: string[]) => {
    // nx as a command that answers with these projects and says how it was asked.
    const nx = join(mkdtempSync(join(tmpdir(), 'ratchet-nx-')), 'nx');
    writeFileSync(nx, `#!/bin/sh\necho "nx $*" >&2\nprintf '%s\\n' ${projects.join(' ')}\n`, { mode: 0o755 });
    const result = spawnSync('bash', [join(workspaceRoot, 'scripts/ci/needs-gpu.sh'), base], { cwd, env: { ...process.env, NX: nx }, encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    return { answer: result.stdout.trim(), asked: result.stderr.trim() };
  };

  it('asks nx what changed since the merge base, and needs the GPU when kernels, native or the CLI are affected', () => {
    const repo = clone(dir, 'feature');
    expect(needsGpu(repo, mainSha, ['@ratchet/report', 'kernels'])).toEqual({ answer: 'true', asked: `nx show projects --affected --base=${mainSha} --head=HEAD` });
    expect(needsGpu(repo, mainSha, ['@ratchet/cli']).answer).toBe('true');
    expect(needsGpu(repo, mainSha, ['@ratchet/report', '@ratchet/cli-docs']).answer).toBe('false');
  });

  it('needs the GPU, without asking nx, where there is no merge base to compare with', () => {
    expect(needsGpu(clone(dir, 'feature'), '0'.repeat(40), [])).toEqual({ answer: 'true', asked: '' });
  });
});
