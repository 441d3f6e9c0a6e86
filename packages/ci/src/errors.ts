import { RatchetError } from '@ratchet/types';

/**
 * One line for a failed GitHub call. A 403 on comments is almost always the workflow's token
 * lacking `pull-requests: write` (the reference document's own failure), so say that.
 */
export function gitHubError(action: string, error: unknown, permission = 'pull-requests: write'): RatchetError {
  const status = (error as { status?: number }).status;
  const message = ((error as Error).message ?? String(error)).split('\n')[0];
  if (status === 403) {
    return new RatchetError(
      'ERR_RATCHET_GITHUB',
      `GitHub refused to ${action} (403 ${message}): the workflow needs \`permissions: ${permission}\``,
      { cause: error },
    );
  }
  const what = status === undefined ? message : `${status} ${message}`;
  return new RatchetError('ERR_RATCHET_GITHUB', `GitHub could not ${action} (${what})`, { cause: error });
}
