// HTTP API, compatible with falcosidekick: POST / (and any other path that is no endpoint: Falco's
// http_output.url may carry one) and /test, GET /healthz, /ping, /metrics.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DeadLetterStore } from '../dispatch/dead-letter.ts';
import type { OutputWorker } from '../dispatch/worker.ts';
import { ErrorCodes, RequestError } from '../errors.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { decodeBody, parseBody } from './body.ts';
import type { Ingest } from './ingest.ts';
import { testAlert } from './test-alert.ts';

export interface RouteDeps {
  ingest: Ingest;
  workers: readonly OutputWorker[];
  metrics: Metrics;
  deadLetters: DeadLetterStore;
  token: string;
  maxBodyBytes: number;
  /** false once shutdown began: /healthz turns 503 so load balancers stop sending. */
  accepting: () => boolean;
}

function authorized(request: FastifyRequest, token: string): boolean {
  if (token === '') return true;
  const header = request.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function requireToken(request: FastifyRequest, deps: RouteDeps): void {
  if (!authorized(request, deps.token)) {
    throw new RequestError(ErrorCodes.UNAUTHORIZED, 401, 'missing or wrong ingest token: send "Authorization: Bearer <ingest.token>"');
  }
}

async function postAlerts(request: FastifyRequest, reply: FastifyReply, deps: RouteDeps): Promise<unknown> {
  requireToken(request, deps);
  const raw = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
  const text = await decodeBody(raw, request.headers['content-encoding'], deps.maxBodyBytes);
  const parsed = parseBody(text, request.headers['content-type'], new Date());

  const rejected: { index: number; code: string; message: string; path?: string }[] = [];
  const spooling: Promise<void>[] = [];
  const record = (index: number, error: RequestError | undefined) => {
    if (error) rejected.push({ index, ...error.toBody().error });
  };
  parsed.items.forEach((item, index) => {
    if ('error' in item) {
      deps.ingest.reject(item.error, 'requests');
      return record(index, item.error);
    }
    const result = deps.ingest.accept(item.value, 'requests', false, request.ip);
    if (result instanceof Promise) spooling.push(result.then((error) => record(index, error)));
    else record(index, result);
  });
  // With the spool on, the reply waits for the commit that holds these alerts (shared with other requests).
  if (spooling.length) await Promise.all(spooling);
  rejected.sort((a, b) => a.index - b.index);

  if (!parsed.batch) {
    const first = rejected[0];
    const status = first?.code === ErrorCodes.SPOOL_FULL ? 507 : first?.code === ErrorCodes.SPOOL_WRITE ? 503 : 400;
    if (first) return reply.code(status).send({ error: { code: first.code, message: first.message, ...(first.path !== undefined ? { path: first.path } : {}) } });
    return reply.code(200).send();
  }
  const accepted = parsed.items.length - rejected.length;
  if (rejected.length === 0) return reply.code(200).send({ accepted });
  if (accepted === 0) {
    return reply.code(400).send({ error: { code: ErrorCodes.ALERT_INVALID, message: 'no alert in the batch was valid; see "rejected"' }, accepted, rejected });
  }
  return reply.code(207).send({ error: { code: ErrorCodes.BATCH_PARTIAL, message: `${rejected.length} of ${parsed.items.length} alerts were rejected; see "rejected"` }, accepted, rejected });
}

/** Paths that are endpoints of their own: a POST there is not an alert. Everything else is ingest. */
export const ENDPOINTS: ReadonlySet<string> = new Set(['/test', '/dlq', '/ping', '/healthz', '/metrics']);

/** The path a request is routed by: no query string. */
export const pathOf = (url: string) => url.split('?')[0] as string;

export function registerIngestRoutes(server: FastifyInstance, deps: RouteDeps): void {
  const observe = (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    deps.metrics.ingestDuration.observe(reply.elapsedTime / 1000);
    done();
  };
  server.post('/', { onResponse: observe }, (request, reply) => postAlerts(request, reply, deps));
  // falcosidekick's mux sends every unregistered path to its main handler: an http_output.url with a
  // path (…:2801/falco) must not lose alerts to a 404 that Falco ignores.
  server.post('/*', { onResponse: observe }, (request, reply) => {
    if (ENDPOINTS.has(pathOf(request.url))) {
      throw new RequestError(ErrorCodes.METHOD_NOT_ALLOWED, 405, `${request.method} ${pathOf(request.url)} is not allowed; alerts are posted to / (or any path that is no endpoint)`);
    }
    return postAlerts(request, reply, deps);
  });
  server.post('/test', async (request, reply) => {
    requireToken(request, deps);
    const error = await deps.ingest.accept(testAlert(new Date()), 'test', true, request.ip);
    // Already counted by accept(): answer here rather than through the error handler, which counts.
    if (error) return reply.code(error.status).send(error.toBody());
    return reply.code(200).send();
  });
}

export function registerStatusRoutes(server: FastifyInstance, deps: RouteDeps): void {
  // Read-only view of the dead-letter store (the CLI `peregrine dlq` replays and purges).
  server.get('/dlq', async (request, reply) => {
    requireToken(request, deps);
    const q = request.query as { output?: string; since?: string; limit?: string };
    const since = q.since === undefined ? undefined : Date.parse(q.since);
    if (since !== undefined && Number.isNaN(since)) throw new RequestError(ErrorCodes.ALERT_INVALID, 400, 'since must be an ISO 8601 time, e.g. 2026-11-20T00:00:00Z', 'since');
    const limit = Math.min(1000, Math.max(1, Number(q.limit ?? 100) || 100));
    const entries = deps.deadLetters.list({ ...(q.output ? { output: q.output } : {}), ...(since !== undefined ? { since } : {}), limit });
    return reply.send({ total: deps.deadLetters.size(), entries: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) });
  });
  // falcosidekick answers these on any method (its chart's `helm test` POSTs /healthz).
  const anyMethod = ['GET', 'POST'] as const;
  server.route({ method: [...anyMethod], url: '/ping', handler: async (_request, reply) => reply.type('text/plain').send('pong') });
  server.route({ method: [...anyMethod], url: '/healthz', handler: async (_request, reply) => {
    const outputs = Object.fromEntries(deps.workers.map((w) => [w.name, w.healthSnapshot()]));
    const states = Object.values(outputs).map((o) => o.state);
    const accepting = deps.accepting();
    const status = !accepting ? 'shutting_down' : states.every((s) => s === 'ok') ? 'ok' : 'degraded';
    // Readiness fails only when ingest cannot accept; a failing output is visible here but does
    // not take Peregrine out of the load balancer (its queue still takes alerts).
    return reply.code(accepting ? 200 : 503).send({ status, outputs });
  } });
  server.route({
    method: [...anyMethod],
    url: '/metrics',
    handler: async (_request, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  });
}
