// Octokit, the one third-party code @ratchet/ci runs. Published inlined into dist/_github.js
// (scripts/bundle-dependencies.mjs): its dependency tree floats to versions that want Node 22
// (content-type 3 via @octokit/request 10.0.16) and an install would print EBADENGINE on Node 20;
// inlined, what runs is what this repository tested.
export { retry } from '@octokit/plugin-retry';
export { Octokit } from '@octokit/rest';
