// PagerDuty Events API v2: one trigger event per alert, with a severity from the Falco priority and
// a stable dedup_key, so a storm of one rule on one pod is one PagerDuty alert, not hundreds.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, sendEach, sendHttp } from '../../src/plugin/index.ts';
import { classifyEnqueue } from './classify.ts';
import { eventBody, toEvent } from './event.ts';
import { enqueueUrl, pagerdutySchema } from './options.ts';

interface PagerDutyClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  redact: (text: string) => string;
}

export default defineOutput({
  name: 'pagerduty',
  description: 'Trigger PagerDuty alerts through the Events API v2, with a severity from the Falco priority and a stable dedup_key.',
  schema: pagerdutySchema,
  example: { routingkey: '0123456789abcdef0123456789abcdef', region: 'us' },
  enabled: (options) => options.routingkey !== '',
  // About 120 events per minute per integration key: a second request in flight is plenty.
  concurrency: 2,
  validate(options) {
    // PagerDuty answers 400 "Length of 'routing_key' is incorrect (should be 32 characters)" to every
    // event otherwise: every alert would end in the dead-letter store.
    return /^[A-Za-z0-9]{32}$/.test(options.routingkey) ? [] : [{ path: 'routingkey', message: 'must be the 32-character integration key of an Events API v2 integration' }];
  },
  connect(options, ctx) {
    const url = new URL(enqueueUrl(options));
    const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    const key = options.routingkey;
    return {
      pool,
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/json', 'user-agent': ctx.userAgent },
      redact: (text: string) => text.split(key).join('***'),
    } satisfies PagerDutyClient;
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    return sendEach(alerts, async (alert) => {
      const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body: eventBody(toEvent(alert, options), alert), signal });
      return classifyEnqueue({ ...res, text: client.redact(res.text) }, clock.now());
    });
  },
  async close(client: PagerDutyClient) {
    await client.pool.close();
  },
});
