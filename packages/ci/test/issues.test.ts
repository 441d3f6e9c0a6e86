import { describe, expect, it } from 'vitest';
import { isRatchetError } from '@ratchet/types';
import { keepIssue, type KeptIssue } from '../src/index.js';
import { localGitHubPerTest } from './local-github.js';

const repository = { owner: 'octo', repo: 'ratchet' };
const marker = '<!-- ratchet-drift: NVIDIA-H100-80GB-HBM3/sm90 -->';
const issue = (body: string | null): KeptIssue => ({ marker, title: 'Ratchet: performance drift on NVIDIA H100', label: 'ratchet-drift', body, closing: 'Recovered at abc.' });
const github = localGitHubPerTest({ perPage: 2 }, { retries: 1, backoffMs: 5 });
const { client } = github;

describe('one drift issue per device, kept against a local GitHub', () => {
  it('opens it with its label, updates the same one, and closes it with a comment once recovered', async () => {
    const opened = await keepIssue(client(), repository, issue('1 regression'));
    expect(opened).toMatchObject({ action: 'created', number: 1 });
    expect(github.server.issues[0]).toMatchObject({ title: 'Ratchet: performance drift on NVIDIA H100', body: `${marker}\n1 regression`, labels: [{ name: 'ratchet-drift' }], state: 'open' });
    expect(await keepIssue(client(), repository, issue('2 regressions'))).toMatchObject({ action: 'updated', number: 1 });
    expect(github.server.issues).toHaveLength(1);
    expect(github.server.issues[0]!.body).toBe(`${marker}\n2 regressions`);
    expect(await keepIssue(client(), repository, issue(null))).toMatchObject({ action: 'closed', number: 1 });
    expect(github.server.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed', comments: ['Recovered at abc.'] });
    // Nothing open and nothing to say: nothing is done; drifting again opens a new one.
    expect(await keepIssue(client(), repository, issue(null))).toEqual({ action: 'none', number: null, url: null });
    expect(await keepIssue(client(), repository, issue('again'))).toMatchObject({ action: 'created', number: 2 });
  });

  it('finds its issue on a later page of the label, and never edits or closes one another account opened with the marker', async () => {
    for (const n of [1, 2, 3]) github.server.addIssue(`other ${n}`, 'unrelated', 'ratchet-drift');
    github.server.addIssue('forged', `${marker}\nall fine`, 'ratchet-drift', 'mallory');
    const ours = github.server.addIssue('ours', `${marker}\nold`, 'ratchet-drift');
    expect(await keepIssue(client(), repository, issue('new'))).toMatchObject({ action: 'updated', number: ours.number });
    expect(github.server.issues.find((i) => i.user.login === 'mallory')!.body).toBe(`${marker}\nall fine`);
    expect(github.server.requests.filter((r) => r.method === 'GET' && r.path.includes('/issues?')).length).toBe(3);
    await keepIssue(client(), repository, issue(null));
    expect(github.server.issues.find((i) => i.user.login === 'mallory')!.state).toBe('open');
  });

  it('says which permission a refusal needs', async () => {
    github.server.failAlways(403);
    let message = '';
    try {
      await keepIssue(client(), repository, issue('x'));
    } catch (error) {
      if (isRatchetError(error)) message = `${error.code}: ${error.message}`;
    }
    expect(message).toBe("ERR_RATCHET_GITHUB: GitHub refused to list the repository's issues (403 Resource not accessible by integration): the workflow needs `permissions: issues: read`");
  });
});
