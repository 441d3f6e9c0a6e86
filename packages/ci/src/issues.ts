import { isRatchetError } from '@ratchet/types';
import type { GitHubClient } from './client.js';
import { gitHubError } from './errors.js';
import { postingLogin } from './identity.js';

export interface RepositoryRef {
  owner: string;
  repo: string;
}

/** An issue Ratchet keeps: one per `marker` (a device's drift), found again by it. */
export interface KeptIssue {
  /** Text in the body that names the issue (`<!-- ratchet-drift: <device key> -->`). */
  marker: string;
  title: string;
  /** The label it carries, and is searched by. */
  label: string;
  /** The body to show; null: nothing to report any more, and an open issue is closed. */
  body: string | null;
  /** The comment that closes it (what recovered, and at which commit). */
  closing: string;
}

export interface IssueOutcome {
  action: 'created' | 'updated' | 'closed' | 'none';
  number: number | null;
  url: string | null;
}

/**
 * The open issue carrying `marker` that this token's account opened, searched through every page
 * of the issues with `label` (pull requests left out). Anyone can type the marker, or the label: an
 * issue another account opened is never ours to edit or close.
 */
export async function findKeptIssue(client: GitHubClient, repository: RepositoryRef, marker: string, label: string): Promise<{ number: number; url: string } | null> {
  let login: string | undefined;
  try {
    const pages = client.paginate.iterator(client.rest.issues.listForRepo, { ...repository, state: 'open', labels: label, per_page: 100 });
    for await (const page of pages) {
      for (const issue of page.data.filter((i) => !i.pull_request && i.body?.includes(marker))) {
        login ??= (await postingLogin(client)).toLowerCase();
        if (issue.user?.login.toLowerCase() === login) return { number: issue.number, url: issue.html_url };
      }
    }
    return null;
  } catch (error) {
    throw isRatchetError(error) ? error : gitHubError('list the repository\'s issues', error, 'issues: read');
  }
}

/**
 * Opens the issue, updates the one this account keeps open, or closes it with a comment when
 * there is nothing to report: one issue per marker, reopened as a new one after it was closed.
 */
export async function keepIssue(client: GitHubClient, repository: RepositoryRef, issue: KeptIssue): Promise<IssueOutcome> {
  const open = await findKeptIssue(client, repository, issue.marker, issue.label);
  try {
    if (issue.body === null) {
      if (!open) return { action: 'none', number: null, url: null };
      await client.rest.issues.createComment({ ...repository, issue_number: open.number, body: issue.closing });
      await client.rest.issues.update({ ...repository, issue_number: open.number, state: 'closed', state_reason: 'completed' });
      return { action: 'closed', ...open };
    }
    const body = `${issue.marker}\n${issue.body}`;
    if (open) {
      await client.rest.issues.update({ ...repository, issue_number: open.number, title: issue.title, body });
      return { action: 'updated', ...open };
    }
    const { data } = await client.rest.issues.create({ ...repository, title: issue.title, body, labels: [issue.label] });
    return { action: 'created', number: data.number, url: data.html_url };
  } catch (error) {
    throw gitHubError(issue.body === null ? 'close the drift issue' : 'open or update the drift issue', error, 'issues: write');
  }
}
