// Gotify: each alert as a push message (falcosidekick's title, priority and markdown list) through
// a self-hosted Gotify server's POST /message with an application token.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, sendEach, sendHttp } from '../../src/plugin/index.ts';
import { classifyGotify } from './classify.ts';
import { gotifySchema, validateGotify } from './options.ts';
import { gotifyMessage } from './payload.ts';

interface GotifyClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
}

export default defineOutput({
  name: 'gotify',
  description: 'Push each alert to a Gotify server as a message (falcosidekick\'s title, priority and markdown).',
  schema: gotifySchema,
  example: { hostport: 'http://gotify.example.com:8080', token: 'AbCdEf.123456' },
  enabled: (options) => options.hostport !== '',
  validate: validateGotify,
  connect(options, ctx): GotifyClient {
    const url = new URL(options.hostport);
    return {
      pool: createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs }),
      path: `${url.pathname.replace(/\/+$/, '')}/message${url.search}`,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': ctx.userAgent, 'x-gotify-key': options.token },
    };
  },
  // One message per alert; a batch (batch.maxevents set by the user) is one request each.
  sendBatch(alerts, { client, options, signal, clock }) {
    return sendEach(alerts, async (alert) => {
      const body = JSON.stringify(gotifyMessage(alert, options));
      const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body, signal });
      return classifyGotify(res, clock.now());
    });
  },
  async close(client: GotifyClient) {
    await client.pool.close();
  },
});
