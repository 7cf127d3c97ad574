// Microsoft Teams: an Adaptive Card through a Workflows webhook (default), or falcosidekick's
// MessageCard for the O365 connectors that still run. One alert per message.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, partial, retry, sendHttp, type Outcome } from '../../src/plugin/index.ts';
import { classifyTeams } from './classify.ts';
import { teamsBody } from './fit.ts';
import { teamsSchema } from './options.ts';

interface TeamsClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
}

export default defineOutput({
  name: 'teams',
  description: 'Post alerts to Microsoft Teams: an Adaptive Card through a Workflows webhook, or falcosidekick\'s MessageCard for an O365 connector.',
  schema: teamsSchema,
  example: { webhookurl: 'https://prod-00.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=xyz' },
  enabled: (options) => options.webhookurl !== '',
  connect(options, ctx): TeamsClient {
    const url = new URL(options.webhookurl);
    return {
      pool: createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs }),
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': ctx.userAgent },
    };
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    const outcomes: Outcome[] = [];
    for (const alert of alerts) {
      const body = teamsBody(alert, options);
      try {
        const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body, signal });
        outcomes.push(classifyTeams(res, clock.now()));
      } catch (err) {
        if (signal.aborted) throw err;
        outcomes.push(retry((err as Error).message));
      }
    }
    return partial(outcomes);
  },
  async close(client: TeamsClient) {
    await client.pool.close();
  },
});
