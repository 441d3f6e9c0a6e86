import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

interface Comment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string; type: 'User' | 'Bot' };
}

/** A repository issue (drift alerts): what the issues endpoints keep. */
export interface Issue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  labels: { name: string }[];
  html_url: string;
  user: { login: string; type: 'User' | 'Bot' };
  /** Comments made on it, in order. */
  comments: string[];
}

/**
 * Who the token the server is called with belongs to, as GitHub answers it: a personal token
 * (`user`) answers GET /user; an installation token (the GITHUB_TOKEN, a GitHub App's) gets 403
 * there and its bot from the GraphQL `viewer`; `anonymous` is refused by both.
 */
export type TokenIdentity = { kind: 'user' | 'installation'; login: string } | { kind: 'anonymous' };

const author = (login: string) => ({ login, type: login.endsWith('[bot]') ? 'Bot' as const : 'User' as const });

/**
 * A real HTTP server on 127.0.0.1 speaking the GitHub endpoints @ratchet/ci and the workflows'
 * scripts use: issue comments (list with Link-header pagination, create as the token's account,
 * update), GET /user and the GraphQL `viewer` (per `identity`, default the GITHUB_TOKEN's
 * github-actions[bot]), `GET /pulls/N` for the pull requests in `pulls`, and a user's permission
 * on the repository from `permissions` (`read` for anyone not listed, as for a public repository),
 * check runs (create, update: `checkRuns` keeps what was sent, annotations appended), and the
 * pull requests of a commit (`GET /commits/SHA/pulls`, from `pulls` by head SHA).
 * `failNext` makes the next requests fail with the given statuses, e.g. 429 or 403.
 */
export async function startGitHubServer(options: { perPage?: number; pulls?: Record<number, unknown>; identity?: TokenIdentity; permissions?: Record<string, string> } = {}) {
  const perPage = options.perPage ?? 2;
  const identity = options.identity ?? { kind: 'installation', login: 'github-actions[bot]' };
  const poster = identity.kind === 'anonymous' ? 'github-actions[bot]' : identity.login;
  const comments: Comment[] = [];
  const issues: Issue[] = [];
  let nextIssue = 1;
  const requests: RecordedRequest[] = [];
  const failures: number[] = [];
  const checkRuns: { id: number; name: string; head_sha: string; status: string; conclusion: string; output: { title: string; summary: string; text: string; annotations: unknown[] } }[] = [];
  let alwaysFail: number | null = null;
  let nextId = 1000;

  const readBody = (request: IncomingMessage) =>
    new Promise<unknown>((resolve) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => resolve(text ? JSON.parse(text) : null));
    });

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(request);
    requests.push({ method: request.method ?? '', path: url.pathname + url.search, body });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(payload));
    };
    const failure = alwaysFail ?? failures.shift();
    if (failure !== undefined) {
      const message = failure === 403 ? 'Resource not accessible by integration' : failure === 429 ? 'API rate limit exceeded' : 'Server Error';
      send(failure, { message }, failure === 429 ? { 'retry-after': '0' } : {});
      return;
    }
    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const update = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    const pull = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(url.pathname);
    const permission = /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/.exec(url.pathname);
    const repoIssues = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(url.pathname);
    const oneIssue = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(url.pathname);
    const issueOf = (number: string | undefined) => issues.find((i) => i.number === Number(number));
    // Comments on a repository issue are kept on it; on a pull request, in `comments`.
    if (list && request.method === 'POST' && issueOf(list[3])) {
      issueOf(list[3])!.comments.push((body as { body: string }).body);
      return send(201, { id: nextId++, body: (body as { body: string }).body, html_url: `https://github.test/c/${nextId}`, user: author(poster) });
    }
    if (repoIssues && request.method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const label = url.searchParams.get('labels');
      const page = Number(url.searchParams.get('page') ?? '1');
      const size = Math.min(Number(url.searchParams.get('per_page') ?? '30'), perPage);
      const matching = issues.filter((i) => (state === 'all' || i.state === state) && (!label || i.labels.some((l) => l.name === label)));
      const pages = Math.max(1, Math.ceil(matching.length / size));
      const link = (p: number) => `<http://${request.headers.host}${url.pathname}?state=${state}&labels=${label ?? ''}&per_page=${size}&page=${p}>`;
      return send(200, matching.slice((page - 1) * size, page * size), page < pages ? { link: `${link(page + 1)}; rel="next", ${link(pages)}; rel="last"` } : {});
    }
    if (repoIssues && request.method === 'POST') {
      const { title, body: text, labels } = body as { title: string; body: string; labels?: string[] };
      const issue: Issue = { number: nextIssue++, title, body: text, state: 'open', labels: (labels ?? []).map((name) => ({ name })), html_url: '', user: author(poster), comments: [] };
      issue.html_url = `https://github.test/issues/${issue.number}`;
      issues.push(issue);
      return send(201, issue);
    }
    if (oneIssue && request.method === 'PATCH') {
      const issue = issueOf(oneIssue[3]);
      if (!issue) return send(404, { message: 'Not Found' });
      Object.assign(issue, body as Partial<Issue>);
      return send(200, issue);
    }
    const checks = /^\/repos\/([^/]+)\/([^/]+)\/check-runs(?:\/(\d+))?$/.exec(url.pathname);
    const commitPulls = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]+)\/pulls$/.exec(url.pathname);
    if (list && request.method === 'GET') {
      const page = Number(url.searchParams.get('page') ?? '1');
      const size = Math.min(Number(url.searchParams.get('per_page') ?? '30'), perPage);
      const pages = Math.max(1, Math.ceil(comments.length / size));
      const link = (p: number) => `<http://${request.headers.host}${url.pathname}?per_page=${size}&page=${p}>`;
      const headers: Record<string, string> = {};
      if (page < pages) headers.link = `${link(page + 1)}; rel="next", ${link(pages)}; rel="last"`;
      send(200, comments.slice((page - 1) * size, page * size), headers);
    } else if (list && request.method === 'POST') {
      const comment = { id: nextId++, body: (body as { body: string }).body, html_url: `https://github.test/c/${nextId}`, user: author(poster) };
      comments.push(comment);
      send(201, comment);
    } else if (update && request.method === 'PATCH') {
      const comment = comments.find((c) => c.id === Number(update[3]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = (body as { body: string }).body;
      send(200, comment);
    } else if (pull && request.method === 'GET' && options.pulls?.[Number(pull[3])]) {
      send(200, options.pulls[Number(pull[3])]);
    } else if (permission && request.method === 'GET') {
      const level = options.permissions?.[decodeURIComponent(permission[3]!)] ?? 'read';
      send(200, { permission: level, user: { login: decodeURIComponent(permission[3]!) } });
    } else if (checks && request.method === 'POST' && !checks[3]) {
      const sent = body as (typeof checkRuns)[number];
      const run = { ...sent, id: nextId++, output: { ...sent.output, annotations: [...(sent.output.annotations ?? [])] } };
      checkRuns.push(run);
      send(201, { ...run, html_url: `https://github.test/checks/${run.id}` });
    } else if (checks && request.method === 'PATCH' && checks[3]) {
      const run = checkRuns.find((c) => c.id === Number(checks[3]));
      if (!run) return send(404, { message: 'Not Found' });
      const sent = body as { output: (typeof checkRuns)[number]['output'] };
      run.output = { ...sent.output, annotations: [...run.output.annotations, ...(sent.output.annotations ?? [])] };
      send(200, { ...run, html_url: `https://github.test/checks/${run.id}` });
    } else if (commitPulls && request.method === 'GET') {
      send(200, Object.values(options.pulls ?? {}).filter((pull) => (pull as { head?: { sha?: string } }).head?.sha === commitPulls[3]));
    } else if (url.pathname === '/user' && request.method === 'GET') {
      if (identity.kind === 'user') send(200, { login: identity.login, type: 'User' });
      else send(identity.kind === 'installation' ? 403 : 401, { message: identity.kind === 'installation' ? 'Resource not accessible by integration' : 'Requires authentication' });
    } else if (url.pathname === '/graphql' && request.method === 'POST') {
      if (identity.kind === 'anonymous') send(401, { message: 'This endpoint requires you to be authenticated.' });
      else if (/viewer\s*\{\s*login\s*\}/.test((body as { query: string }).query)) send(200, { data: { viewer: { login: identity.login } } });
      else send(200, { errors: [{ message: 'only the viewer query is served here' }] });
    } else {
      send(404, { message: 'Not Found' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    comments,
    checkRuns,
    requests,
    failNext: (...statuses: number[]) => failures.push(...statuses),
    failAlways: (status: number | null) => (alwaysFail = status),
    issues,
    /** An issue already open, written by `login` (default: the account the token posts as). */
    addIssue: (title: string, text: string, label: string, login = poster) => {
      const issue: Issue = { number: nextIssue++, title, body: text, state: 'open', labels: [{ name: label }], html_url: '', user: author(login), comments: [] };
      issue.html_url = `https://github.test/issues/${issue.number}`;
      issues.push(issue);
      return issue;
    },
    /** A comment already on the PR, written by `login` (default: the account the token posts as). */
    addComment: (text: string, login = poster) => comments.push({ id: nextId++, body: text, html_url: `https://github.test/c/${nextId}`, user: author(login) }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A node child run to its end without blocking this process (whose fake GitHub server must keep
 * answering it): its exit status and output.
 */
export function nodeChild(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...args], { cwd: options.cwd, ...(options.env ? { env: options.env } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
