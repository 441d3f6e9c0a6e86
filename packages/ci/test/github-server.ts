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
}

/**
 * A real HTTP server on 127.0.0.1 speaking the three GitHub endpoints @ratchet/ci uses (list
 * issue comments with Link-header pagination, create, update), and `GET /pulls/N` for the pull
 * requests in `pulls` (what the fork comment workflow checks). `failures` makes the next
 * requests fail with the given statuses, e.g. [429] or [403].
 */
export async function startGitHubServer(options: { perPage?: number; pulls?: Record<number, unknown> } = {}) {
  const perPage = options.perPage ?? 2;
  const comments: Comment[] = [];
  const requests: RecordedRequest[] = [];
  const failures: number[] = [];
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
    if (list && request.method === 'GET') {
      const page = Number(url.searchParams.get('page') ?? '1');
      const size = Math.min(Number(url.searchParams.get('per_page') ?? '30'), perPage);
      const pages = Math.max(1, Math.ceil(comments.length / size));
      const link = (p: number) => `<http://${request.headers.host}${url.pathname}?per_page=${size}&page=${p}>`;
      const headers: Record<string, string> = {};
      if (page < pages) headers.link = `${link(page + 1)}; rel="next", ${link(pages)}; rel="last"`;
      send(200, comments.slice((page - 1) * size, page * size), headers);
    } else if (list && request.method === 'POST') {
      const comment = { id: nextId++, body: (body as { body: string }).body, html_url: `https://github.test/c/${nextId}` };
      comments.push(comment);
      send(201, comment);
    } else if (update && request.method === 'PATCH') {
      const comment = comments.find((c) => c.id === Number(update[3]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = (body as { body: string }).body;
      send(200, comment);
    } else if (pull && request.method === 'GET' && options.pulls?.[Number(pull[3])]) {
      send(200, options.pulls[Number(pull[3])]);
    } else {
      send(404, { message: 'Not Found' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    comments,
    requests,
    failNext: (...statuses: number[]) => failures.push(...statuses),
    failAlways: (status: number | null) => (alwaysFail = status),
    addComment: (text: string) => comments.push({ id: nextId++, body: text, html_url: `https://github.test/c/${nextId}` }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
