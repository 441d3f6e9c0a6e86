import type { GitHubClient } from './client.js';
import { gitHubError } from './errors.js';

/**
 * The account the workflow's GITHUB_TOKEN posts as. Only workflows of this repository that hold
 * a write token post under it: a fork's `pull_request` run gets a read-only one.
 */
export const actionsBotLogin = 'github-actions[bot]';

const status = (error: unknown) => (error as { status?: number }).status;
// What GitHub answers a token that may not ask who it is: 401/403/404 over HTTP (an installation
// token on GET /user), or an answer carrying GraphQL errors.
const refused = (error: unknown) => [401, 403, 404].includes(status(error) ?? 0) || (error as Error).name === 'GraphqlResponseError';

/**
 * The login a token posts comments as, as comment.user.login shows it: `GET /user` for a personal
 * token; an installation token (the GITHUB_TOKEN, a GitHub App's) is refused there (403), and the
 * GraphQL `viewer` answers with its bot (`<app>[bot]`); where both refuse, the GITHUB_TOKEN's
 * `github-actions[bot]`. Any other failure (5xx, network) is thrown: a guess would be no safer.
 */
export async function postingLogin(client: GitHubClient): Promise<string> {
  try {
    return (await client.rest.users.getAuthenticated()).data.login;
  } catch (error) {
    if (!refused(error)) throw gitHubError('tell which account the token posts as (GET /user)', error);
  }
  try {
    const answer = await client.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
    return answer.viewer.login;
  } catch (error) {
    if (!refused(error)) throw gitHubError('tell which account the token posts as (GraphQL viewer)', error);
  }
  return actionsBotLogin;
}
