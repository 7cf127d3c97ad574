// Discord webhooks: falcosidekick's embed, one message per batch at Discord's pace (the core's
// sendrate: 30 messages a minute per channel), a burst folded into a summary embed, a deleted
// webhook dead-lettered.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, sendHttp } from '../../src/plugin/index.ts';
import { classifyDiscord } from './classify.ts';
import { discordSchema } from './options.ts';
import { discordMessage } from './payload.ts';

interface DiscordClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
}

export default defineOutput({
  name: 'discord',
  description: 'Post alerts to a Discord webhook (falcosidekick\'s embed), paced to Discord\'s rate limit, a burst summarised.',
  schema: discordSchema,
  example: { webhookurl: 'https://discord.com/api/webhooks/000000000000000000/XXXX' },
  enabled: (options) => options.webhookurl !== '',
  // A burst arrives as one batch (up to 50 alerts gathered for a second) and leaves as one message.
  batch: { maxevents: 50, maxbytes: 1_000_000, flushms: 1000 },
  // Discord: 5 requests per 2 s per webhook, and about 30 messages a minute per channel.
  sendrate: { requestspersecond: 0.5, burst: 1 },
  connect(options, ctx): DiscordClient {
    const url = new URL(options.webhookurl);
    return {
      pool: createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: 1, timeoutMs: ctx.timeoutMs }),
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': ctx.userAgent },
    };
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    const body = JSON.stringify(discordMessage(alerts, options));
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body, signal });
    return classifyDiscord(res, clock.now());
  },
  async close(client: DiscordClient) {
    await client.pool.close();
  },
});
