import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ratchet = readFileSync(new URL('../../../.github/workflows/ratchet.yml', import.meta.url), 'utf8');
const jobs = Object.fromEntries(
  ratchet.split('\njobs:\n')[1]!.split(/\n(?=  [a-z-]+:\n)/).map((job) => [job.trim().split(':')[0]!, job]),
);

describe('ratchet.yml: the run history and its dashboard (docs/dashboard.md)', () => {
  it('lets only the dashboard job write GitHub Pages, and only on a push to main once promote ran', () => {
    for (const [name, job] of Object.entries(jobs)) {
      const writesPages = /\n      pages: write\n/.test(job) || /\n      id-token: write\n/.test(job);
      expect(writesPages, name).toBe(name === 'dashboard');
    }
    expect(jobs.dashboard).toContain("if: ${{ github.event_name == 'push' && !cancelled() && needs.promote.result != 'skipped' }}");
    expect(jobs.dashboard).toMatch(/\n      contents: read\n/);
  });

  it('keeps every run of main in the history: checked out before the shards are merged, pushed after it', () => {
    const steps = jobs.promote!;
    const checkout = steps.indexOf('pnpm -s ratchet history checkout');
    const run = steps.indexOf('pnpm -s ratchet merge --ratchet');
    const push = steps.indexOf('pnpm -s ratchet history push');
    expect(checkout).toBeGreaterThan(0);
    expect(run).toBeGreaterThan(checkout);
    expect(push).toBeGreaterThan(run);
    // Pushed even when the run found a regression on main (exit 1 fails its step).
    expect(steps.slice(run, push)).toContain('if: ${{ !cancelled() }}');
  });
});
