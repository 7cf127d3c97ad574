// Datadog HTTP Logs intake (v2): falcosidekick's log entry per alert, batched as a JSON array
// (up to 1,000 entries and 5 MB per request), the API key in the DD-API-KEY header.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, legacyConcurrency, loadTls, maxConcurrentRequests, secret, sendHttp, tlsShape, z } from '../../src/plugin/index.ts';
import { classifyDatadog, withoutKey } from '../datadog/classify.ts';
import { apiUrl, siteHost } from '../datadog/url.ts';
import { logsBody } from './entry.ts';

interface LogsClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
}

export default defineOutput({
  name: 'datadoglogs',
  description: "Send alerts to Datadog Logs (HTTP intake v2), falcosidekick's entry per alert, batched.",
  schema: z.object({
    apikey: secret(z.string().default('').describe('Datadog API key, sent as the DD-API-KEY header. Setting it turns the output on.')),
    host: siteHost('https://http-intake.logs.datadoghq.com/', "The Datadog site's logs intake, e.g. https://http-intake.logs.datadoghq.eu; /api/v2/logs is appended (\"\" = the default)."),
    service: z.string().default('').describe('The `service` of every log entry ("" = none).'),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { apikey: 'your-datadog-api-key' },
  enabled: (options) => options.apikey !== '',
  // The intake takes 1,000 entries and 5 MB per request. The alert JSON is the entry's message,
  // escaped (each " becomes \"): 2 MB of alerts stay below 5 MB; a 413 halves the batch anyway.
  batch: { maxevents: 1000, maxbytes: 2_000_000, flushms: 1000 },
  concurrency: 2,
  legacySettings: (options) => legacyConcurrency(options),
  connect(options, ctx): LogsClient {
    const url = new URL(apiUrl(options.host, '/api/v2/logs'));
    const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    const headers = { 'content-type': 'application/json; charset=utf-8', 'user-agent': ctx.userAgent, 'dd-api-key': options.apikey };
    return { pool, path: `${url.pathname}${url.search}`, headers };
  },
  // A refusal of the whole request (400, 413) is sent again in halves by the core until the entry
  // at fault is alone (src/dispatch/retry-policy.ts).
  async sendBatch(alerts, { client, options, signal, clock }) {
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body: logsBody(alerts, options.service), signal });
    return withoutKey(classifyDatadog(res, clock.now(), 'datadoglogs'), options.apikey);
  },
  async close(client: LogsClient) {
    await client.pool.close();
  },
});
