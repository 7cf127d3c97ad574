// Grafana Loki push API (JSON), batched: one stream per label set, the alert time in exact
// nanoseconds, falcosidekick's labels, tenant and basic auth.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, sendHttp } from '../../src/plugin/index.ts';
import { classifyPush } from './classify.ts';
import { labelPlan, type LabelPlan } from './labels.ts';
import { lokiSchema } from './options.ts';
import { pushBody } from './push.ts';

interface LokiClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  plan: LabelPlan;
}

export default defineOutput({
  name: 'loki',
  description: 'Push alerts to Grafana Loki (or any Loki push API: VictoriaLogs, Grafana Cloud), batched, labelled as falcosidekick labels them, with the alert time in exact nanoseconds.',
  schema: lokiSchema,
  example: { hostport: 'http://loki:3100', tenant: 'falco' },
  enabled: (options) => options.hostport !== '',
  // Loki's default ingestion burst is 6 MB per tenant: a push above it is refused (429) however
  // often it is retried. 1 MB batches stay well below it.
  batch: { maxevents: 500, maxbytes: 1_000_000, flushms: 1000 },
  concurrency: 2,
  validate(options) {
    if (options.user !== '' && options.apikey === '') return [{ path: 'apikey', message: 'user is set but apikey is empty: basic auth needs both (falcosidekick silently sends none)' }];
    if (options.user === '' && options.apikey !== '') return [{ path: 'user', message: 'apikey is set but user is empty: basic auth needs both (falcosidekick silently sends none)' }];
    return [];
  },
  connect(options, ctx) {
    const base = new URL(options.hostport);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': ctx.userAgent };
    if (options.tenant) headers['x-scope-orgid'] = options.tenant;
    if (options.user && options.apikey) headers.authorization = `Basic ${Buffer.from(`${options.user}:${options.apikey}`).toString('base64')}`;
    Object.assign(headers, options.customheaders); // falcosidekick sets them last: they win
    const plan = labelPlan(ctx.enrichment ?? { customfields: [], templatedfields: [] }, options.extralabels, options.droplabels);
    const pool = createHttpPool(base, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency + 1, timeoutMs: ctx.timeoutMs });
    return { pool, path: `${base.pathname.replace(/\/+$/, '')}${options.endpoint}`, headers, plan } satisfies LokiClient;
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    const body = pushBody(alerts, client.plan, options.format);
    // A network error throws: the core retries it.
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body, signal });
    return classifyPush(res, clock.now());
  },
  async close(client: LokiClient) {
    await client.pool.close();
  },
});
