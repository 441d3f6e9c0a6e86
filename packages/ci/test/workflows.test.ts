import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script (also the lint target), without type declarations.
import { lintWorkflows } from '../scripts/actionlint.mjs';

const workflow = (name: string) => readFileSync(new URL(`../../../.github/workflows/${name}`, import.meta.url), 'utf8');

describe('GitHub workflows', () => {
  it('lint clean with actionlint', async () => {
    expect(await lintWorkflows()).toEqual([]);
  });
  it('never run fork code on the self-hosted GPU runner', () => {
    const ratchet = workflow('ratchet.yml');
    expect(ratchet).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(ratchet).not.toContain('pull_request_target');
    expect(workflow('ratchet-comment.yml')).not.toMatch(/actions\/checkout/);
  });
  it('declare permissions on every job', () => {
    for (const name of ['ci.yml', 'ratchet.yml', 'ratchet-comment.yml']) {
      const text = workflow(name);
      const jobs = text.split('\njobs:\n')[1]!.split(/\n  (?=[a-z-]+:\n)/);
      for (const job of jobs) expect(job, `${name}: ${job.split('\n')[0]}`).toMatch(/\n    permissions:\n/);
    }
  });
});
