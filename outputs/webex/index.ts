// Webex incoming webhooks: falcosidekick's markdown, one message per batch at a steady pace (the
// core's sendrate: one message a second), a burst folded into a summary, a deleted webhook
// dead-lettered.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, sendHttp } from '../../src/plugin/index.ts';
import { classifyWebex } from './classify.ts';
import { webexSchema } from './options.ts';
import { webexMessage } from './payload.ts';

interface WebexClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
}

export default defineOutput({
  name: 'webex',
  description: 'Post alerts to a Webex space through an incoming webhook (falcosidekick\'s markdown), paced, a burst summarised.',
  schema: webexSchema,
  example: { webhookurl: 'https://webexapis.com/v1/webhooks/incoming/XXXX' },
  enabled: (options) => options.webhookurl !== '',
  // A burst arrives as one batch (up to 50 alerts gathered for a second) and leaves as one message.
  batch: { maxevents: 50, maxbytes: 1_000_000, flushms: 1000 },
  // Webex documents no number for incoming webhooks, only 429 with Retry-After: one message a second.
  sendrate: { requestspersecond: 1, burst: 1 },
  connect(options, ctx): WebexClient {
    const url = new URL(options.webhookurl);
    return {
      pool: createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: 1, timeoutMs: ctx.timeoutMs }),
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': ctx.userAgent },
    };
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    const body = JSON.stringify(webexMessage(alerts, options));
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body, signal });
    return classifyWebex(res, clock.now());
  },
  async close(client: WebexClient) {
    await client.pool.close();
  },
});
