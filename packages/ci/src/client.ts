import { Octokit, retry } from './_github.js';

export type GitHubClient = InstanceType<typeof Octokit>;

export interface ClientOptions {
  token: string;
  /** The API root: https://api.github.com, or GITHUB_API_URL on GitHub Enterprise. */
  baseUrl?: string;
  /** Retries of a 429 or 5xx answer before giving up (default 3). */
  retries?: number;
  /** Backoff unit, ms: the n-th retry waits n^2 units (default 1000). */
  backoffMs?: number;
}

const RetryingOctokit = Octokit.plugin(retry);

/** A maintained client (Octokit) that retries 429/5xx with bounded quadratic backoff. */
export function createGitHubClient(options: ClientOptions): GitHubClient {
  return new RetryingOctokit({
    auth: options.token,
    baseUrl: options.baseUrl ?? 'https://api.github.com',
    userAgent: 'ratchet-ci',
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: options.backoffMs ?? 1_000 },
    // Octokit logs every failed request with console.warn; the caller reports failures itself.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}
