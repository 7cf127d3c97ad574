// The console's JSON API under /api/v1/: alerts and their trails, outputs' health over time, dead
// letters with replay and purge. Read endpoints need a token (read or admin); replay and purge need
// admin and are logged with who asked and how many alerts they touched.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../dispatch/clock.ts';
import type { DeadLetterFilter, DeadLetterStore } from '../dispatch/dead-letter.ts';
import type { OutputWorker } from '../dispatch/worker.ts';
import { ErrorCodes, RequestError } from '../errors.ts';
import type { Trail } from '../trail/recorder.ts';
import { VERSION } from '../version.ts';
import { authenticate, requireAdmin, type Principal } from './auth.ts';
import type { ConsoleConfig } from './config.ts';
import { deadLetterJson, recordJson, summaryJson } from './json.ts';
import { parseDeadLetterFilter, parseStatsQuery, parseTrailQuery, singleQuery } from './query.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export interface ConsoleDeps {
  config: ConsoleConfig;
  workers: readonly OutputWorker[];
  deadLetters: DeadLetterStore;
  trail: Trail;
  /** Where the trail is kept: "memory", "spool", or "off" (trail.enabled: false). */
  trailStore: 'memory' | 'spool' | 'off';
  clock: Clock;
  log: Logger;
}

function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const raw = request.body;
  if (!(raw instanceof Buffer) || raw.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new RequestError(ErrorCodes.JSON_MALFORMED, 400, 'the body must be a JSON object, e.g. {"output": "webhook", "rule": "Terminal shell in container"}');
}

export function registerApi(server: FastifyInstance, deps: ConsoleDeps): void {
  const { config, workers, deadLetters, trail, clock, log } = deps;
  const store = trail.store;
  const auth = (request: FastifyRequest): Principal => authenticate(request, config);
  /** The store, once what was recorded before this request is readable (never blocks ingest). */
  const needStore = async () => {
    if (!store) throw new RequestError(ErrorCodes.NOT_FOUND, 404, 'the delivery trail is off (trail.enabled: false): no alert history to show');
    await store.ready?.();
    return store;
  };
  const audit = (principal: Principal, request: FastifyRequest, action: string, filter: DeadLetterFilter, count: number) =>
    log.info({ console: true, role: principal.role, who: principal.who, from: request.ip, action, filter, count }, `console: ${action} of ${count} dead letter(s)`);

  server.get('/api/v1/whoami', async (request) => {
    const p = auth(request);
    return { role: p.role, who: p.who };
  });

  server.get('/api/v1/alerts', async (request) => {
    auth(request);
    const { alerts, next } = (await needStore()).list(parseTrailQuery(request.query));
    return { alerts: alerts.map(summaryJson), next };
  });

  server.get('/api/v1/alerts/:uuid', async (request) => {
    auth(request);
    const { uuid } = request.params as { uuid: string };
    const record = (await needStore()).get(uuid);
    if (!record) throw new RequestError(ErrorCodes.NOT_FOUND, 404, `no trail for alert ${uuid}: never received, or older than the trail keeps (trail.maxalerts / trail.maxagems)`);
    return recordJson(record);
  });

  server.get('/api/v1/stats/alerts', async (request) => {
    auth(request);
    const { by, since, bucketMs } = parseStatsQuery(request.query, clock.now());
    const stats = (await needStore()).stats(by, since, bucketMs);
    return { by, bucketMs, buckets: stats.buckets.map((b) => ({ at: iso(b.at), counts: b.counts })) };
  });

  server.get('/api/v1/outputs', async (request) => {
    auth(request);
    await store?.ready?.();
    const now = clock.now();
    return {
      version: VERSION,
      trail: { store: deps.trailStore, ...(store ? store.size() : { alerts: 0, bytes: 0 }) },
      deadLetters: deadLetters.size(),
      outputs: workers.map((w) => {
        const { minutes, recentErrors } = trail.activity.snapshot(w.name, now);
        return {
          name: w.name,
          ...w.healthSnapshot(),
          minutes: minutes.map((m) => ({ ...m, at: iso(m.at) })),
          recentErrors: recentErrors.map((e) => ({ ...e, at: iso(e.at) })),
        };
      }),
    };
  });

  server.get('/api/v1/deadletters', async (request) => {
    auth(request);
    const q = singleQuery(request.query);
    const limit = Math.min(1000, Math.max(1, Number(q.limit ?? 100) || 100));
    const entries = deadLetters.list({ ...parseDeadLetterFilter(q), limit });
    return { total: deadLetters.size(), entries: entries.reverse().map(deadLetterJson) };
  });

  server.post('/api/v1/deadletters/replay', async (request) => {
    const principal = auth(request);
    requireAdmin(principal);
    const filter = parseDeadLetterFilter(request.query, jsonBody(request));
    const byName = new Map(workers.map((w) => [w.name, w]));
    if (filter.output !== undefined && !byName.has(filter.output)) {
      throw new RequestError(ErrorCodes.QUERY_INVALID, 400, `output "${filter.output}" is not configured: its dead letters cannot be sent anywhere`, 'output');
    }
    // Output by output, so a dead letter of an output no longer configured stays where it is.
    const targets = filter.output !== undefined ? [filter.output] : [...byName.keys()];
    let replayed = 0;
    const now = clock.now();
    for (const output of targets) {
      const worker = byName.get(output) as OutputWorker;
      for (const r of deadLetters.replay({ ...filter, output })) {
        trail.store?.state(r.alert.uuid, output, 'queued', now, `replayed from the dead-letter store by ${principal.who}`);
        worker.enqueue(r.alert, r.bytes, now, r.spoolId === undefined ? undefined : { spoolId: r.spoolId });
        replayed++;
      }
    }
    audit(principal, request, 'replay', filter, replayed);
    // What matched but stays: dead letters of outputs this config no longer has.
    const left: Record<string, number> = {};
    if (filter.output === undefined) for (const d of deadLetters.list({ ...filter, limit: 100_000 })) if (!byName.has(d.output)) left[d.output] = (left[d.output] ?? 0) + 1;
    return { replayed, ...(Object.keys(left).length > 0 ? { notConfigured: left } : {}) };
  });

  server.post('/api/v1/deadletters/purge', async (request) => {
    const principal = auth(request);
    requireAdmin(principal);
    const query = singleQuery(request.query);
    const body = jsonBody(request);
    const filter = parseDeadLetterFilter(query, body);
    const all = body.all ?? query.all;
    if (Object.keys(filter).length === 0 && all !== true && all !== 'true') {
      throw new RequestError(ErrorCodes.QUERY_INVALID, 400, 'purge deletes for good: give a filter (id, output, rule, since) or "all": true', 'all');
    }
    const purged = deadLetters.purge(filter);
    audit(principal, request, 'purge', filter, purged);
    return { purged };
  });
}
