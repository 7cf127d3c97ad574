// falcosidekick's webhook: the alert JSON as the body, one alert per request, POST or PUT, custom
// headers. Adds an Idempotency-Key (the alert uuid) so a receiver can drop replays. `format: array`
// (opt-in, for receivers that accept one) posts each batch as one JSON array: one request for up to
// batch.maxevents alerts instead of one per alert.
import type { Dispatcher } from 'undici';
import { classifyHttp, createHttpPool, customHeaders, defineOutput, legacyConcurrency, maxConcurrentRequests, loadTls, partial, retry, sendHttp, serializeAlert, tlsShape, z, type Outcome } from '../../src/plugin/index.ts';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://siem.example.com/api/events' });

export default defineOutput({
  name: 'webhook',
  description: 'POST (or PUT) each alert as JSON to an HTTP endpoint.',
  schema: z.object({
    address: z.union([z.literal(''), httpUrl]).default('').describe('Endpoint URL. Setting it turns the output on.'),
    method: z
      .string()
      .default('POST')
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(['POST', 'PUT'], { error: 'must be POST or PUT' }))
      .describe('HTTP method: POST or PUT.'),
    customheaders: customHeaders('Extra request headers, e.g. Authorization (a map, or "Name:value,Name:value" as in the falcosidekick chart). Secret: the whole map. Env: WEBHOOK_CUSTOMHEADERS="Authorization:Bearer x,X-Source:falco".'),
    maxconcurrentrequests: maxConcurrentRequests(),
    format: z
      .enum(['object', 'array'], { error: 'must be object or array' })
      .default('object')
      .describe(
        'object: one request per alert, the alert as the body (falcosidekick\'s form), with an Idempotency-Key header. array: one request per batch (batch.maxevents, default 500; flushms 200), a JSON array of alerts, each with its uuid; for receivers that accept arrays. A batch refused whole is sent again in halves until the alert refused is alone.',
      ),
    ...tlsShape,
  }),
  example: { address: 'https://siem.example.com/api/v1/events', customheaders: { Authorization: 'Bearer your-api-token' } },
  enabled: (options) => options.address !== '',
  // One request per alert: while Falco bursts, each answer waits for a turn of the event loop that
  // ingest keeps busy, so requests in flight bound what is delivered. With the spool on, 32 deliver
  // all of the default burst (the spool's commits pace ingest). In memory-only mode, where nothing
  // paces ingest, 32 delivered 45 % of what was accepted, 64 88 %, 128 all of it
  // (docs/performance-history.md, round 15). Connections open only as requests need them.
  concurrency: 128,
  legacySettings: (options) => ({
    ...legacyConcurrency(options),
    ...(options.format === 'array' ? { batch: { maxevents: 500, maxbytes: 4_000_000, flushms: 200 } } : {}),
  }),
  connect(options, ctx) {
    const url = new URL(options.address);
    const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    const headers = { 'content-type': 'application/json', 'user-agent': ctx.userAgent, ...options.customheaders };
    return { pool, path: `${url.pathname}${url.search}`, headers };
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    if (options.format === 'array') {
      const body = `[${alerts.map(serializeAlert).join(',')}]`;
      return classifyHttp(await sendHttp(client.pool, { path: client.path, method: options.method, headers: client.headers, body, signal }), clock.now());
    }
    const outcomes: Outcome[] = [];
    for (const alert of alerts) {
      try {
        const res = await sendHttp(client.pool, {
          path: client.path,
          method: options.method,
          headers: { ...client.headers, 'idempotency-key': alert.uuid },
          body: serializeAlert(alert),
          signal,
        });
        outcomes.push(classifyHttp(res, clock.now()));
      } catch (err) {
        if (signal.aborted) throw err;
        outcomes.push(retry((err as Error).message));
      }
    }
    return partial(outcomes);
  },
  async close(client: { pool: Dispatcher }) {
    await client.pool.close();
  },
});

