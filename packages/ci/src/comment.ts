import { isRatchetError } from '@ratchet/types';
import type { GitHubClient } from './client.js';
import { gitHubError } from './errors.js';
import { postingLogin } from './identity.js';

/** GitHub rejects issue comments longer than this many characters. */
export const maxCommentChars = 65_536;
export const defaultMarker = '<!-- ratchet-report -->';

export interface PullRequestRef {
  owner: string;
  repo: string;
  issueNumber: number;
}

export interface StickyComment {
  id: number;
  url: string;
}

/**
 * The comment carrying `marker` that `author` wrote (by default the account the client's token
 * posts as, asked only once a comment with the marker is found), searched through every page of
 * the PR's comments. Anyone can write the marker: a comment of another account is never ours to
 * edit, so it is passed over and a new comment is made.
 */
export async function findStickyComment(client: GitHubClient, pr: PullRequestRef, marker = defaultMarker, author?: string): Promise<StickyComment | null> {
  let login = author?.toLowerCase();
  const pages = client.paginate.iterator(client.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.issueNumber,
    per_page: 100,
  });
  try {
    for await (const page of pages) {
      for (const comment of page.data.filter((c) => c.body?.includes(marker))) {
        login ??= (await postingLogin(client)).toLowerCase();
        if (comment.user?.login.toLowerCase() === login) return { id: comment.id, url: comment.html_url };
      }
    }
    return null;
  } catch (error) {
    throw isRatchetError(error) ? error : gitHubError('list the PR comments', error);
  }
}

/**
 * Cuts `body` at a line boundary so that it fits GitHub's limit with a note linking the full
 * report (the CI artifact) appended.
 */
export function truncateComment(body: string, options: { maxChars?: number; artifactUrl?: string } = {}): string {
  const limit = options.maxChars ?? maxCommentChars;
  if (body.length <= limit) return body;
  const note = `\n\n_Truncated: the full report (${body.length} characters) is over GitHub's comment limit._${options.artifactUrl ? ` [Download it](${options.artifactUrl}).` : ''}\n`;
  const cut = body.lastIndexOf('\n', limit - note.length);
  return body.slice(0, Math.max(cut, 0)) + note;
}

/** Creates the sticky comment or updates the one this token's account wrote: one comment per PR, ever. */
export async function upsertStickyComment(
  client: GitHubClient,
  pr: PullRequestRef,
  body: string,
  options: { marker?: string; artifactUrl?: string; author?: string } = {},
): Promise<StickyComment & { action: 'created' | 'updated' }> {
  const marker = options.marker ?? defaultMarker;
  const text = truncateComment(`${marker}\n${body}`, { artifactUrl: options.artifactUrl });
  const existing = await findStickyComment(client, pr, marker, options.author);
  try {
    if (existing) {
      const { data } = await client.rest.issues.updateComment({ owner: pr.owner, repo: pr.repo, comment_id: existing.id, body: text });
      return { action: 'updated', id: data.id, url: data.html_url };
    }
    const { data } = await client.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.issueNumber, body: text });
    return { action: 'created', id: data.id, url: data.html_url };
  } catch (error) {
    throw gitHubError('post the PR comment', error);
  }
}
