// Prometheus Alertmanager (API v2): batches of alerts, labelled as falcosidekick labels them, POSTed
// to every configured hostport; one outcome per batch (see classify.ts for partial failures).
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, redactUrl, retry, sendHttp } from '../../src/plugin/index.ts';
import { classifyAnswer, combine, type HostOutcome } from './classify.ts';
import { alertmanagerSchema } from './options.ts';
import { alertsBody, type PayloadOptions } from './payload.ts';

interface AlertmanagerTarget {
  /** Endpoint URL for reasons and logs (password redacted). */
  url: string;
  pool: Dispatcher;
  path: string;
  /** Base path of the hostport, for /-/ready. */
  base: string;
  headers: Record<string, string>;
}

export interface AlertmanagerClient {
  targets: AlertmanagerTarget[];
  /** The request body for a batch (a field so tests can inject what our builder never produces). */
  body: (alerts: Parameters<typeof alertsBody>[0], options: PayloadOptions) => string;
}

export default defineOutput({
  name: 'alertmanager',
  description: 'Send alerts to Prometheus Alertmanager (API v2), batched, to every configured hostport, labelled as falcosidekick labels them.',
  schema: alertmanagerSchema,
  example: { hostport: 'http://alertmanager:9093', extralabels: { team: 'security' } },
  enabled: (options) => options.hostport.length > 0,
  // Alertmanager takes arrays and groups alerts itself (group_wait is 30 s by default): a short
  // flush keeps paging latency low while a burst still goes out in a few requests.
  batch: { maxevents: 256, maxbytes: 1_000_000, flushms: 500 },
  concurrency: 2,
  connect(options, ctx) {
    const tls = loadTls(options, ctx.tls);
    const targets = options.hostport.map((hostport): AlertmanagerTarget => {
      const url = new URL(`${hostport}${options.endpoint}`);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': ctx.userAgent, ...options.customheaders };
      // Credentials in the URL (http://user:pass@am:9093) become basic auth, as Go's client does.
      if (url.username && !headers.authorization) {
        headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
      }
      const pool = createHttpPool(url, { tls, connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
      return { url: redactUrl(url.href), pool, path: `${url.pathname}${url.search}`, base: new URL(hostport).pathname.replace(/\/+$/, ''), headers };
    });
    return { targets, body: alertsBody } satisfies AlertmanagerClient;
  },
  async healthcheck({ client, signal }) {
    const problems: string[] = [];
    await Promise.all(
      client.targets.map(async (t) => {
        try {
          const res = await sendHttp(t.pool, { path: `${t.base}/-/ready`, method: 'GET', headers: t.headers, signal });
          if (res.status !== 200) problems.push(`${t.url}: /-/ready answered HTTP ${res.status}`);
        } catch (err) {
          problems.push(`${t.url}: ${(err as Error).message}`);
        }
      }),
    );
    return problems.length === 0 ? { ok: true } : { ok: false, message: problems.join('; ') };
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    const body = client.body(alerts, options);
    const hosts = await Promise.all(
      client.targets.map(async (t): Promise<HostOutcome> => {
        try {
          const res = await sendHttp(t.pool, { path: t.path, method: 'POST', headers: t.headers, body, signal });
          return { url: t.url, outcome: classifyAnswer(res, alerts.length, clock.now()) };
        } catch (err) {
          return { url: t.url, outcome: retry((err as Error).message) };
        }
      }),
    );
    return combine(hosts);
  },
  async close(client: AlertmanagerClient) {
    await Promise.all(client.targets.map((t) => t.pool.close()));
  },
});
