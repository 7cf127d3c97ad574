// Opsgenie Alert API: one create-alert request per alert, with falcosidekick's priority mapping, an
// alias from the alert's key fields (repeats count on one open alert), and details from its fields.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, sendEach, sendHttp } from '../../src/plugin/index.ts';
import { toCreateAlert } from './alert.ts';
import { classifyCreate } from './classify.ts';
import { alertsUrl, opsgenieSchema } from './options.ts';

interface OpsgenieClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  redact: (text: string) => string;
}

export default defineOutput({
  name: 'opsgenie',
  description: 'Create Opsgenie alerts through the Alert API, with the Falco priority as P1–P5 and an alias that groups repeats.',
  schema: opsgenieSchema,
  example: { apikey: 'eb243592-faa2-4ba2-a551-1afdf565c889', region: 'us' },
  enabled: (options) => options.apikey !== '',
  concurrency: 2,
  connect(options, ctx) {
    const url = new URL(alertsUrl(options));
    const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    const key = options.apikey;
    return {
      pool,
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/json', 'user-agent': ctx.userAgent, authorization: `GenieKey ${key}` },
      redact: (text: string) => text.split(key).join('***'),
    } satisfies OpsgenieClient;
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    return sendEach(alerts, async (alert) => {
      const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body: JSON.stringify(toCreateAlert(alert, options)), signal });
      return classifyCreate({ ...res, text: client.redact(res.text) }, clock.now());
    });
  },
  async close(client: OpsgenieClient) {
    await client.pool.close();
  },
});
