import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Baseline, Comparison } from '@ratchet/types';
import { ratchet, readJson, scratchProject } from './cli-harness.js';

// A Python kernel whose time is spent outside its problem class: in a module-level function of
// the script and in a module beside it. Slowing either one (four times the work, far past any
// noise a loaded machine makes) must fail the gate in both modes, and so must never be taken for
// the same code (A/A), which would put the slower figure down to the machine.

/** The script: its module-level function calls the helper `times` times. */
const script = (times: number) => `import ratchet_problem as rp
import helper


def run_kernel(values):
    for _ in range(${times - 1}):
        helper.kernel(values)
    return helper.kernel(values)


@rp.problem(name="affine", summary="y = 1.0001 x + 1, pure Python", params=[rp.integer("n", 1, 1 << 20)], variants=["lists"], backend="cpu")
class Affine:
    def __init__(self, params, variant, seed):
        self.x = [float((seed * 7919 + i) % 1000) + 0.5 for i in range(params["n"])]

    def work(self):
        return {"flops": 2 * len(self.x), "bytes": 16 * len(self.x)}

    def launch(self):
        self.y = run_kernel(self.x)

    def check(self, seed):
        self.launch()
        worst = max(abs(y - (1.0001 * x + 1.0)) for x, y in zip(self.x, self.y))
        return rp.result(worst <= 1e-9, worst, worst, 1e-9, "closed form")


if __name__ == "__main__":
    rp.serve()
`;

/** The module beside the script: the kernel itself, computed `times` times over. */
const helper = (times: number) => `def kernel(values):
    for _ in range(${times - 1}):
        [v * 1.0001 + 1.0 for v in values]
    return [v * 1.0001 + 1.0 for v in values]
`;

const slowdown = 4;

/** A git repository holding the kernel, its helper and a config naming the process (committed: the guide's order). */
function pythonRepository(): { dir: string; commit: (message: string, files?: Record<string, string>) => string } {
  const dir = scratchProject({
    processes: [{ command: ['python3', 'kernel.py'], timeoutMs: 60_000 }],
    suites: { cpu: [{ kernel: 'affine', n: 4096 }] },
  });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], { cwd: dir, encoding: 'utf8' }).trim();
  const commit = (message: string, files: Record<string, string> = {}) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    git('add', '-A');
    git('commit', '-qm', message);
    return git('rev-parse', 'HEAD');
  };
  git('init', '-q', '-b', 'main');
  commit('the kernel', { 'kernel.py': script(1), 'helper.py': helper(1), '.gitignore': 'results/\n.ratchet-cache/\n__pycache__/\n' });
  return { dir, commit };
}

const comparisonIn = (dir: string) => readJson<Comparison>(join(dir, 'results/comparison.json'));

describe('a slowed Python kernel outside its problem class fails the gate (the default identity covers the script and its modules)', () => {
  it('against the committed baseline and against a base ref: a slowed module-level function and a slowed imported module each exit 1', () => {
    const { dir, commit } = pythonRepository();
    const first = ratchet(dir, ['run', '--backend', 'cpu']);
    expect(first.status, first.stderr).toBe(0);
    const fast = commit('ratchet: baseline');
    const stored = () => readJson<Baseline>(join(dir, '.ratchet/baseline.json'));
    const entry = () => Object.values(stored().devices)[0]!.benchmarks['affine/n4096']!;
    expect(entry().kernelIdentity).toMatch(/^py:[0-9a-f]{64}$/);
    const medians = entry().runMedians;

    // The same files in the base worktree: A/A (modules are known by name, not by where they lie).
    const same = ratchet(dir, ['run', '--backend', 'cpu', '--base', 'HEAD']);
    expect(same.status, same.stderr).toBe(0);
    expect(comparisonIn(dir).results[0]).toMatchObject({ aa: true, verdict: 'unchanged' });

    const cases: [string, Record<string, string>][] = [
      ['a module-level function of the script', { 'kernel.py': script(slowdown), 'helper.py': helper(1) }],
      ['the module the script imports', { 'kernel.py': script(1), 'helper.py': helper(slowdown) }],
    ];
    for (const [what, files] of cases) {
      commit(`slow ${what}`, files);
      const crossRun = ratchet(dir, ['run', '--backend', 'cpu']);
      expect(crossRun.status, `${what}, run: ${crossRun.stderr}${crossRun.stdout}`).toBe(1);
      expect(comparisonIn(dir).results[0], what).toMatchObject({ verdict: 'regression', aa: false, reason: expect.stringMatching(/interleaved against/) });
      // The slower median is no run-to-run spread of the stored code: it stays out of the entry.
      expect(entry().runMedians).toEqual(medians);

      const relative = ratchet(dir, ['run', '--backend', 'cpu', '--base', fast]);
      expect(relative.status, `${what}, run --base: ${relative.stderr}${relative.stdout}`).toBe(1);
      expect(comparisonIn(dir).results[0], what).toMatchObject({ verdict: 'regression', aa: false });
    }
  });
});
