export { githubContextFromEnv, gpuCost, writeOutputs, writeStepSummary } from './actions.js';
export { createGitHubClient } from './client.js';
export type { ClientOptions, GitHubClient } from './client.js';
export { defaultMarker, findStickyComment, maxCommentChars, truncateComment, upsertStickyComment } from './comment.js';
export type { PullRequestRef, StickyComment } from './comment.js';
export { gitHubError } from './errors.js';
export { actionsBotLogin, postingLogin } from './identity.js';
export { runCi } from './run-ci.js';
export type { CiOptions, CiResult } from './run-ci.js';
