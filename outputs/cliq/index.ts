// Zoho Cliq channel webhooks: falcosidekick's message (text, bot, output slide and fields table),
// one message per batch at Cliq's pace (the core's sendrate: 20 messages a minute), a burst folded
// into a summary table.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, messageFormat, sendHttp, type RenderText } from '../../src/plugin/index.ts';
import { classifyCliq } from './classify.ts';
import { cliqSchema, validateCliq } from './options.ts';
import { cliqMessage } from './payload.ts';

interface CliqClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  renderText: RenderText | undefined;
}

export default defineOutput({
  name: 'cliq',
  description: 'Post alerts to a Zoho Cliq channel through its incoming webhook (falcosidekick\'s message and fields table), paced to Cliq\'s rate limit, a burst summarised.',
  schema: cliqSchema,
  example: { webhookurl: 'https://cliq.zoho.com/api/v2/channelsbyname/alerts/message?zapikey=XXXX' },
  enabled: (options) => options.webhookurl !== '',
  validate: validateCliq,
  // A burst arrives as one batch (up to 50 alerts gathered for a second) and leaves as one message.
  batch: { maxevents: 50, maxbytes: 1_000_000, flushms: 1000 },
  // Cliq: 20 requests a minute, then the webhook is locked for 10 minutes.
  sendrate: { requestspersecond: 0.33, burst: 1 },
  connect(options, ctx): CliqClient {
    const url = new URL(options.webhookurl);
    return {
      pool: createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: 1, timeoutMs: ctx.timeoutMs }),
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/json', 'user-agent': ctx.userAgent },
      renderText: messageFormat(options.messageformat, 'cliq', ctx.log),
    };
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    const body = JSON.stringify(cliqMessage(alerts, options, client.renderText));
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body, signal });
    return classifyCliq(res, clock.now());
  },
  async close(client: CliqClient) {
    await client.pool.close();
  },
});
