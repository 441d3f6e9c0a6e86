import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchProject, snapshot, startRatchet } from './cli-harness.js';

// Budgets no run finishes: the test stops it, so nothing here waits for a duration.
const endless = {
  suites: { cpu: [{ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 16, causal: false }] },
  budgets: { cpu: { warmup: 1, minSamples: 5, maxSamples: 1e9, minTimeMs: 600_000, maxTimeMs: 1_200_000 } },
};

/** Gone, or a zombie nobody has reaped yet: either way it runs no more. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Resolves once `path` exists (a file a child creates: the marker to act on). */
async function created(path: string): Promise<void> {
  while (!existsSync(path)) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('SIGINT and SIGTERM (issue 16 item 10)', () => {
  it('SIGINT while measuring: "interrupted", exit 130, and nothing on disk (no results, no lock, no temporaries)', async () => {
    const dir = scratchProject(endless);
    const run = startRatchet(dir, ['run', '--backend', 'cpu']);
    await run.printed(/takes at least .*Ctrl-C stops it\n/);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.status).toBe(130);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('ratchet: interrupted (SIGINT)');
    expect(Object.keys(snapshot(dir))).toEqual(['ratchet.config.json']);
  });

  it('SIGTERM during run --base\'s build of the base stops the build with everything it started', async () => {
    // A repository whose "native build" starts a grandchild that would outlive it, and says so in
    // a file: the real build (cmake, make, nvcc) starts its children the same way.
    const repo = scratchProject({ ...endless, build: { command: ['node', 'native/scripts/build.mjs'] } });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, stdio: 'ignore' });
    mkdirSync(join(repo, 'native/scripts'), { recursive: true });
    writeFileSync(join(repo, 'native/scripts/build.mjs'), [
      "import { spawn } from 'node:child_process';",
      "import { writeFileSync } from 'node:fs';",
      "const sleeper = spawn('sleep', ['1000'], { stdio: 'inherit' });",
      "writeFileSync('build-started', String(sleeper.pid));",
      '',
    ].join('\n'));
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'a base to build');
    const run = startRatchet(repo, ['run', '--backend', 'cpu', '--base', 'HEAD']);
    await run.printed(/building the base HEAD/);
    const [baseRoot] = readdirSync(join(repo, '.ratchet-cache')).map((name) => join(repo, '.ratchet-cache', name));
    await created(join(baseRoot!, 'build-started'));
    const sleeper = Number(readFileSync(join(baseRoot!, 'build-started'), 'utf8'));
    expect(running(sleeper)).toBe(true);
    run.child.kill('SIGTERM');
    const result = await run.done;
    expect(result.status).toBe(130);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('ratchet: interrupted (SIGTERM)');
    expect(running(sleeper)).toBe(false);
    expect(existsSync(join(repo, 'results'))).toBe(false);
  });
});
