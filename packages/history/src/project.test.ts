import { describe, expect, it } from 'vitest';
import { commitUrlPrefix, pagesUrl, projectFromRemoteUrl } from './project.js';

describe('projectFromRemoteUrl', () => {
  it('gives one name for every way of writing a remote, and none for a local path', () => {
    for (const url of [
      'git@github.com:Acme/kernels.git', 'https://github.com/Acme/kernels', 'https://github.com/Acme/kernels.git\n',
      'ssh://git@github.com/Acme/kernels.git', 'https://x-access-token:secret@github.com/Acme/kernels.git',
    ]) expect(projectFromRemoteUrl(url)).toBe('github.com/Acme/kernels');
    expect(projectFromRemoteUrl('/srv/git/kernels.git')).toBeNull();
    expect(projectFromRemoteUrl('../kernels')).toBeNull();
  });
  it('links GitHub commits and pages, and nothing for another host', () => {
    expect(commitUrlPrefix('github.com/Acme/kernels')).toBe('https://github.com/Acme/kernels/commit/');
    expect(pagesUrl('github.com/Acme/kernels')).toBe('https://acme.github.io/kernels/');
    expect(commitUrlPrefix('gitlab.example.com/a/b')).toBeNull();
    expect(pagesUrl(null)).toBeNull();
  });
});
