// falcosidekick's spyderbat: each alert as a "falco_alert::1.0.0" event, newline-delimited JSON,
// gzip'd, POSTed to the Spyderbat API's data endpoint of the source falcosidekick_<orguid>, which
// the output looks up and creates first if the org does not have it (and again if it goes away).
import { gzipSync } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { blameWholeCall, createHttpPool, defineOutput, fail, loadTls, partial, sendHttp, type Outcome } from '../../src/plugin/index.ts';
import { classifyData } from './classify.ts';
import { sourceUid, spyderbatEvent } from './event.ts';
import { apiPaths, spyderbatProblems, spyderbatSchema } from './options.ts';
import { ensureSource, type SourceTarget } from './source.ts';

interface SpyderbatClient {
  pool: Dispatcher;
  data: string;
  headers: Record<string, string>;
  source: SourceTarget;
  /** The source is known to exist. */
  ready: boolean;
  /** A lookup/creation under way, shared by concurrent sends. */
  pending: Promise<Outcome> | undefined;
}

async function sourceReady(client: SpyderbatClient, signal: AbortSignal, now: number): Promise<Outcome | undefined> {
  if (client.ready) return undefined;
  client.pending ??= ensureSource(client.source, signal, now).finally(() => (client.pending = undefined));
  const outcome = await client.pending;
  if (outcome.kind !== 'ok') return outcome;
  client.ready = true;
  return undefined;
}

export default defineOutput({
  name: 'spyderbat',
  description: 'Send alerts as Spyderbat falco_alert events (gzip\'d NDJSON) to the Spyderbat API, into the source falcosidekick_<orguid>, which it creates when missing.',
  schema: spyderbatSchema,
  example: { orguid: 'your-org-uid', apikey: 'your-api-key' },
  enabled: (options) => options.orguid !== '',
  batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 200 },
  concurrency: 2,
  validate: spyderbatProblems,
  connect(options, ctx): SpyderbatClient {
    const paths = apiPaths(options);
    const pool = createHttpPool(paths.origin, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    const auth = { authorization: `Bearer ${options.apikey}`, 'user-agent': ctx.userAgent };
    return {
      pool,
      data: paths.data,
      headers: { ...auth, 'content-type': 'application/ndjson', 'content-encoding': 'gzip' },
      source: { pool, path: paths.sources, headers: auth, uid: sourceUid(options.orguid), name: options.source, description: options.sourcedescription },
      ready: false,
      pending: undefined,
    };
  },
  async sendBatch(alerts, { client, signal, clock }) {
    const now = clock.now();
    const events = alerts.map((alert) => spyderbatEvent(alert, now));
    const lines = events.filter((e): e is string => typeof e === 'string');
    // An alert without the process id cannot be an event: dead-lettered with why, the rest sent.
    const refused = events.map((e) => (typeof e === 'string' ? undefined : fail(e.problem)));
    if (lines.length === 0) return refused.length === 1 ? (refused[0] as Outcome) : partial(refused as Outcome[]);
    const blocked = await sourceReady(client, signal, now);
    let sent: Outcome;
    if (blocked) sent = blocked;
    else {
      const res = await sendHttp(client.pool, { path: client.data, method: 'POST', headers: client.headers, body: gzipSync(lines.join('')), signal });
      if (res.status === 404) client.ready = false;
      sent = classifyData(res, clock.now());
    }
    if (refused.every((r) => r === undefined)) return sent;
    // Inside partial() each alert's outcome is its own: the call's answer is the whole call's, so
    // a 400 about one event still halves the sent ones instead of dead-lettering all of them.
    const call = blameWholeCall(sent, lines.length);
    return partial(refused.map((r) => r ?? call));
  },
  async close(client: SpyderbatClient) {
    await client.pool.close();
  },
});
