// Telegram bots: falcosidekick's MarkdownV2 message through the Bot API's sendMessage, one message
// per batch at Telegram's pace (the core's sendrate: about 20 messages a minute in a group), a burst
// folded into a summary, the text kept within 4,096 characters.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, sendHttp } from '../../src/plugin/index.ts';
import { classifyTelegram } from './classify.ts';
import { telegramSchema, validateTelegram } from './options.ts';
import { telegramMessage } from './payload.ts';

interface TelegramClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
}

export default defineOutput({
  name: 'telegram',
  description: 'Send alerts to a Telegram chat through a bot (falcosidekick\'s MarkdownV2 message), paced to Telegram\'s rate limit, a burst summarised.',
  schema: telegramSchema,
  example: { token: '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11', chatid: '-1001234567890' },
  enabled: (options) => options.token !== '' && options.chatid !== '',
  validate: validateTelegram,
  // A burst arrives as one batch (up to 50 alerts gathered for a second) and leaves as one message.
  batch: { maxevents: 50, maxbytes: 1_000_000, flushms: 1000 },
  // Telegram: about one message a second in a chat, 20 a minute in a group (core.telegram.org/bots/faq).
  sendrate: { requestspersecond: 0.33, burst: 1 },
  connect(options, ctx): TelegramClient {
    const url = new URL(options.apiurl);
    return {
      pool: createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: 1, timeoutMs: ctx.timeoutMs }),
      path: `${url.pathname.replace(/\/$/, '')}/bot${options.token}/sendMessage`,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': ctx.userAgent },
    };
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    const body = JSON.stringify(telegramMessage(alerts, options));
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body, signal });
    return classifyTelegram(res, clock.now());
  },
  async close(client: TelegramClient) {
    await client.pool.close();
  },
});
