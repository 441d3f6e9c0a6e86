import { execFileSync } from 'node:child_process';

/**
 * The project a remote URL names, as `host/owner/repo`: `git@github.com:acme/kernels.git`,
 * `https://github.com/acme/kernels`, `ssh://git@github.com/acme/kernels.git` and a URL with
 * credentials in it all give `github.com/acme/kernels`. Null for what is not such a URL (a
 * local path), so two clones of one repository agree and nothing secret is ever kept.
 */
export function projectFromRemoteUrl(url: string): string | null {
  const trimmed = url.trim();
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+?)(?:\.git)?\/?$/.exec(trimmed);
  const standard = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([\w.-]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/.exec(trimmed);
  const match = scp ?? standard;
  if (!match) return null;
  const path = match[2]!;
  return /^[\w.-]+(\/[\w.-]+)+$/.test(path) ? `${match[1]!.toLowerCase()}/${path}` : null;
}

/** This checkout's project, from git's `origin` remote; null without git or an origin. */
export function projectOf(cwd: string): string | null {
  try {
    const url = execFileSync('git', ['remote', 'get-url', 'origin'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return projectFromRemoteUrl(url);
  } catch {
    return null;
  }
}

/** Where a commit of a GitHub project is shown; null for other hosts (no link beats a wrong one). */
export function commitUrlPrefix(project: string | null): string | null {
  return project?.startsWith('github.com/') ? `https://${project}/commit/` : null;
}

/** The GitHub Pages address `ratchet.yml` publishes the dashboard of a GitHub project to. */
export function pagesUrl(project: string | null): string | null {
  const match = project ? /^github\.com\/([\w.-]+)\/([\w.-]+)$/.exec(project) : null;
  return match ? `https://${match[1]!.toLowerCase()}.github.io/${match[2]}/` : null;
}
