// HTTP API, compatible with falcosidekick: POST / (and any other path that is no endpoint: Falco's
// http_output.url may carry one) and /test, GET /healthz, /ping, /metrics.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ConfigStatus } from '../reload/reloader.ts';
import type { DeadLetterStore } from '../dispatch/dead-letter.ts';
import type { OutputWorker } from '../dispatch/worker.ts';
import { ERROR_DOCS, ErrorCodes, RequestError, type ErrorCode } from '../errors.ts';
import type { SpoolHealthSnapshot } from '../spool/spool-health.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { decodeBody, MAX_BATCH_ERRORS, parseBody } from './body.ts';
import type { Ingest } from './ingest.ts';
import { testAlert } from './test-alert.ts';
import { DLQ_MAX_LIMIT, deadLetterPage } from './dlq-page.ts';

export interface RouteDeps {
  ingest: Ingest;
  workers: readonly OutputWorker[];
  metrics: Metrics;
  deadLetters: DeadLetterStore;
  token: string;
  maxBodyBytes: number;
  /** false once shutdown began: /healthz turns 503 so load balancers stop sending. */
  accepting: () => boolean;
  /** Noise-control figures of an output for /healthz (src/noise/); undefined when it has none. */
  noiseHealth?: (output: string) => Record<string, unknown> | undefined;
  /** For what only Peregrine can fix (an unexpected error on one alert). */
  log?: Logger;
  /** The spool's write health, when it is on. */
  spool?: () => SpoolHealthSnapshot;
  /** Which config runs, whether the file is newer, what waits for a restart (src/reload/). */
  configStatus?: () => ConfigStatus;
}

/** "Authorization: Bearer <token>" (the scheme in any case, RFC 7235); always true when no token is set. */
export function authorized(request: FastifyRequest, token: string): boolean {
  if (token === '') return true;
  // RFC 9110 §11.1: the scheme is case-insensitive ("bearer", "BEARER"), then one or more spaces.
  const match = /^bearer +(.*)$/i.exec(request.headers.authorization ?? '');
  const given = Buffer.from(match ? (match[1] as string) : '');
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
  if (!parsed.batch) return postOne(parsed.items[0] as (typeof parsed.items)[number], request, reply, deps);

  const rejected: { index: number; code: string; message: string; path?: string }[] = [];
  const spooling: Promise<void>[] = [];
  const record = (index: number, error: RequestError | undefined) => {
    if (!error) return;
    const body = error.toBody().error;
    rejected.push({ index, ...body, message: cutMessage(body.message) });
  };
  // Bounded work per request: at most MAX_BATCH_ERRORS bad items (the rest is skipped and counted),
  // and the event loop gets a turn every YIELD_EVERY alerts so one big batch never stalls the others.
  let skipped = parsed.skipped ?? 0;
  for (let index = 0; index < parsed.items.length; index++) {
    if (rejected.length >= MAX_BATCH_ERRORS) {
      skipped += parsed.items.length - index;
      break;
    }
    if (index > 0 && index % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    const item = parsed.items[index] as (typeof parsed.items)[number];
    if ('error' in item) {
      deps.ingest.reject(item.error, 'requests');
      record(index, item.error);
      continue;
    }
    const result = acceptSafely(deps, item.value, request.ip);
    if (result instanceof Promise) spooling.push(result.then((error) => record(index, error)));
    else record(index, result);
  }
  // With the spool on, the reply waits for the commit that holds these alerts (shared with other requests).
  if (spooling.length) await Promise.all(spooling);
  rejected.sort((a, b) => a.index - b.index);
  if (skipped > 0) deps.ingest.skipped(skipped);

  const total = parsed.items.length + (parsed.skipped ?? 0);
  const accepted = total - rejected.length - skipped;
  if (rejected.length === 0) return reply.code(200).send({ accepted });
  const stopped = skipped > 0 ? `; stopped after ${MAX_BATCH_ERRORS} errors: ${skipped} more were not processed (not accepted; fix the sender)` : '';
  const extra = skipped > 0 ? { skipped } : {};
  if (accepted === 0) {
    // Refused alike (every alert by a full spool, say): that refusal's status and code, so a client that
    // retries a 5xx does. Otherwise the batch was bad input.
    const alike = skipped === 0 && rejected.every((r) => r.code === rejected[0]?.code) ? ERROR_DOCS[rejected[0]?.code as ErrorCode]?.status : undefined;
    if (alike !== undefined && alike !== 400) {
      const first = rejected[0] as (typeof rejected)[number];
      return reply.code(alike).send({ error: { code: first.code, message: `no alert in the batch was accepted: ${first.message}; see "rejected"` }, accepted, rejected });
    }
    return reply.code(400).send({ error: { code: ErrorCodes.ALERT_INVALID, message: `no alert in the batch was valid; see "rejected"${stopped}` }, accepted, rejected, ...extra });
  }
  return reply
    .code(207)
    .send({ error: { code: ErrorCodes.BATCH_PARTIAL, message: `${rejected.length + skipped} of ${total} alerts were not accepted; see "rejected"${stopped}` }, accepted, rejected, ...extra });
}

const YIELD_EVERY = 512;

/** One alert (falcosidekick's form, what Falco sends): an empty 200, or its error with the status it calls for. */
async function postOne(item: ReturnType<typeof parseBody>['items'][number], request: FastifyRequest, reply: FastifyReply, deps: RouteDeps): Promise<unknown> {
  let error: RequestError | undefined;
  if ('error' in item) {
    deps.ingest.reject(item.error, 'requests');
    error = item.error;
  } else {
    error = await acceptSafely(deps, item.value, request.ip);
  }
  if (!error) return reply.code(200).send();
  // The item's own status: 400 for bad input, 507 / 503 for the spool, 500 for Peregrine's own fault.
  const { code, message, path } = error.toBody().error;
  return reply.code(error.status).send({ error: { code, message: cutMessage(message), ...(path !== undefined ? { path } : {}) } });
}

/** An error message in a reply: at most 500 characters. */
const cutMessage = (message: string) => (message.length > 500 ? `${message.slice(0, 500)}…` : message);

/** One item's failure that is nobody's fault but Peregrine's stays that item's: the batch goes on. */
function acceptSafely(deps: RouteDeps, value: unknown, from: string): ReturnType<Ingest['accept']> {
  try {
    return deps.ingest.accept(value, 'requests', false, from);
  } catch (err) {
    deps.log?.error({ err: (err as Error).message }, 'unexpected error accepting one alert');
    const error = new RequestError(ErrorCodes.INTERNAL, 500, 'internal error on this alert; it was not accepted; the details are in the Peregrine log');
    deps.ingest.reject(error, 'requests');
    return error;
  }
}

/** Paths that are endpoints of their own: a POST there is not an alert. Everything else is ingest. */
export const ENDPOINTS: ReadonlySet<string> = new Set(['/test', '/dlq', '/ping', '/healthz', '/metrics']);

/** The path a request is routed by: no query string. */
export const pathOf = (url: string) => url.split('?')[0] as string;

/**
 * A Content-Type header that names no media type ("", ","), which fastify answers 415, goes: the body
 * is read as JSON, as falcosidekick reads every body (and as a request without the header is).
 */
function dropMalformedType(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  const type = request.headers['content-type'];
  if (type !== undefined && !type.includes('/')) delete request.headers['content-type'];
  done();
}

/** Marks the routes that take alerts: a request refused there counts as a rejected input (isIngestRoute). */
const INGEST_ROUTE = { ingest: true };

/** True on a route that takes alerts (/, any path that is no endpoint, /test); false on the APIs beside them. */
export function isIngestRoute(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { ingest?: boolean } | undefined)?.ingest === true;
}

export function registerIngestRoutes(server: FastifyInstance, deps: RouteDeps): void {
  const observe = (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    deps.metrics.ingestDuration.observe(reply.elapsedTime / 1000);
    done();
  };
  server.post('/', { onRequest: dropMalformedType, onResponse: observe, config: INGEST_ROUTE }, (request, reply) => postAlerts(request, reply, deps));
  // falcosidekick's mux sends every unregistered path to its main handler: an http_output.url with a
  // path (…:2801/falco) must not lose alerts to a 404 that Falco ignores.
  server.post('/*', { onRequest: dropMalformedType, onResponse: observe, config: INGEST_ROUTE }, (request, reply) => {
    if (ENDPOINTS.has(pathOf(request.url))) {
      throw new RequestError(ErrorCodes.METHOD_NOT_ALLOWED, 405, `${request.method} ${pathOf(request.url)} is not allowed; alerts are posted to / (or any path that is no endpoint)`);
    }
    return postAlerts(request, reply, deps);
  });
  server.post('/test', { config: INGEST_ROUTE }, async (request, reply) => {
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
    const q = request.query as { output?: string; since?: string; limit?: string; before?: string };
    const repeated = Object.entries(q).find(([, value]) => Array.isArray(value));
    if (repeated) throw new RequestError(ErrorCodes.ALERT_INVALID, 400, `${repeated[0]} is given ${(repeated[1] as unknown as unknown[]).length} times; give it once`, repeated[0]);
    const since = q.since === undefined ? undefined : Date.parse(q.since);
    if (since !== undefined && Number.isNaN(since)) throw new RequestError(ErrorCodes.ALERT_INVALID, 400, 'since must be an ISO 8601 time, e.g. 2026-11-20T00:00:00Z', 'since');
    const before = q.before === undefined ? undefined : Number(q.before);
    if (before !== undefined && !Number.isSafeInteger(before)) throw new RequestError(ErrorCodes.ALERT_INVALID, 400, 'before must be a dead-letter id (the "next" of the previous page)', 'before');
    const page = deadLetterPage(deps.deadLetters, {
      ...(q.output ? { output: q.output } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(before !== undefined ? { before } : {}),
      limit: Math.min(DLQ_MAX_LIMIT, Math.max(1, Number(q.limit ?? 100) || 100)),
    });
    return reply.send({ total: deps.deadLetters.size(), ...page });
  });
  // falcosidekick answers these on any method (its chart's `helm test` POSTs /healthz).
  const anyMethod = ['GET', 'POST'] as const;
  server.route({ method: [...anyMethod], url: '/ping', handler: async (_request, reply) => reply.type('text/plain; charset=utf-8').send('pong\n') });
  server.route({ method: [...anyMethod], url: '/healthz', handler: async (_request, reply) => {
    const outputs = Object.fromEntries(
      deps.workers.map((w) => {
        const noise = deps.noiseHealth?.(w.name);
        return [w.name, noise ? { ...w.healthSnapshot(), noise } : w.healthSnapshot()];
      }),
    );
    const states = Object.values(outputs).map((o) => o.state);
    const spool = deps.spool?.();
    // A spool that cannot commit (full disk) cannot accept alerts: not ready until it can again.
    const accepting = deps.accepting() && !spool?.failing.includes('commit');
    const ok = states.every((s) => s === 'ok') && spool?.state !== 'degraded';
    const status = !deps.accepting() ? 'shutting_down' : ok ? 'ok' : 'degraded';
    // Readiness fails only when ingest cannot accept; a failing output is visible here but does
    // not take Peregrine out of the load balancer (its queue still takes alerts).
    const config = deps.configStatus?.();
    return reply.code(accepting ? 200 : 503).send({ status, outputs, ...(spool ? { spool } : {}), ...(config ? { config } : {}) });
  } });
  server.route({
    method: [...anyMethod],
    url: '/metrics',
    handler: async (_request, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  });
}
