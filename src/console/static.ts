// Serves the console's page and its files (ui/ at the repo root: plain HTML, CSS and JS modules, no
// build step, no CDN). Read once at start; served with a strict Content-Security-Policy, so even
// markup that slipped into the page could not load or run anything from elsewhere.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ErrorCodes, RequestError } from '../errors.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** ui/ beside src/ (running from source) or beside dist/ (the image copies it to /app/ui). */
function uiDir(): string {
  const candidates = [join(import.meta.dirname, '../../ui'), join(import.meta.dirname, '../../../ui')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`the console's files (ui/index.html) are missing; looked in ${candidates.join(', ')}`);
  return found;
}

function readTree(dir: string, prefix = ''): Map<string, { body: Buffer; type: string }> {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory()) for (const [k, v] of readTree(join(dir, entry.name), `${rel}/`)) files.set(k, v);
    else if (TYPES[extname(entry.name)]) files.set(rel, { body: readFileSync(join(dir, entry.name)), type: TYPES[extname(entry.name)] as string });
  }
  return files;
}

export function registerUi(server: FastifyInstance): void {
  const files = readTree(uiDir());
  const index = files.get('index.html') as { body: Buffer; type: string };
  server.get('/ui', async (_request, reply) => reply.redirect('/ui/', 302));
  server.get('/ui/*', async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    // Any path that is not a file is a view of the single page (/ui/alerts/…): the page routes it.
    const file = files.get(path) ?? (extname(path) === '' ? index : undefined);
    if (!file) throw new RequestError(ErrorCodes.NOT_FOUND, 404, `no console file ${path}`);
    return reply.headers(HEADERS).type(file.type).send(file.body);
  });
}
