// Google Chat incoming webhooks: falcosidekick's card, one message per batch at Google Chat's pace
// (the core's sendrate: one message per second per space), a burst folded into a summary card, a
// deleted webhook dead-lettered.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, messageFormat, sendHttp, type RenderText } from '../../src/plugin/index.ts';
import { classifyGooglechat } from './classify.ts';
import { googlechatSchema, validateGooglechat } from './options.ts';
import { googlechatMessage } from './payload.ts';

interface GooglechatClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  renderText: RenderText | undefined;
}

export default defineOutput({
  name: 'googlechat',
  description: 'Post alerts to a Google Chat incoming webhook (falcosidekick\'s card), paced to Google Chat\'s rate limit, a burst summarised.',
  schema: googlechatSchema,
  example: { webhookurl: 'https://chat.googleapis.com/v1/spaces/XXXX/messages?key=YYYY&token=ZZZZ' },
  enabled: (options) => options.webhookurl !== '',
  validate: validateGooglechat,
  // A burst arrives as one batch (up to 50 alerts gathered for a second) and leaves as one message.
  batch: { maxevents: 50, maxbytes: 1_000_000, flushms: 1000 },
  // Google Chat: 60 messages a minute per space, one a second for incoming webhooks.
  sendrate: { requestspersecond: 1, burst: 1 },
  connect(options, ctx): GooglechatClient {
    const url = new URL(options.webhookurl);
    return {
      pool: createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: 1, timeoutMs: ctx.timeoutMs }),
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': ctx.userAgent },
      renderText: messageFormat(options.messageformat, 'googlechat', ctx.log),
    };
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    const body = JSON.stringify(googlechatMessage(alerts, options, client.renderText));
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body, signal });
    return classifyGooglechat(res, clock.now());
  },
  async close(client: GooglechatClient) {
    await client.pool.close();
  },
});
