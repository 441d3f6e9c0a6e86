// A git repository whose harness is sum-bench.mjs: commit 1 does the sum once, commit 2 twice
// (genuinely slower). The CLI's `run --command` tests and the Action's both run it against HEAD~1.
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Makes the repository in `dir` (empty), ignoring `outputDir` (where the run writes) and the base's worktrees. */
export function sumHarnessRepository(dir: string, outputDir: string): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  copyFileSync(fileURLToPath(new URL('./sum-bench.mjs', import.meta.url)), join(dir, 'sum-bench.mjs'));
  writeFileSync(join(dir, 'passes.json'), '{"passes": 1}');
  writeFileSync(join(dir, '.gitignore'), `.ratchet-cache/\n${outputDir}/\n`);
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'the harness');
  writeFileSync(join(dir, 'passes.json'), '{"passes": 2}');
  git('commit', '-qam', 'sum twice: slower');
  return dir;
}
