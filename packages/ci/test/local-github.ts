// A local GitHub (github-server.ts) started afresh for each test of a file and closed after it,
// with this package's client pointed at it: the setup the API tests of this folder share.
import { afterEach, beforeEach } from 'vitest';
import { createGitHubClient } from '../src/index.js';
import { startGitHubServer } from './github-server.js';

/**
 * Registers the server's start and close around each test of the calling file. `server` is the
 * running one (a test may close it and start another in its place); `client()` talks to it, with
 * `retry` as the client's retry policy.
 */
export function localGitHubPerTest(options: Parameters<typeof startGitHubServer>[0], retry: { retries: number; backoffMs: number }) {
  const github = {
    server: undefined as unknown as Awaited<ReturnType<typeof startGitHubServer>>,
    client: () => createGitHubClient({ token: 't0ken', baseUrl: github.server.baseUrl, ...retry }),
  };
  beforeEach(async () => {
    github.server = await startGitHubServer(options);
  });
  afterEach(async () => {
    await github.server.close();
  });
  return github;
}
