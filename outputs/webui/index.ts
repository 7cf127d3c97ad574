// falcosidekick-ui, run by the user: each alert POSTed to its ingest (`POST /api/v1/`, or `/` for
// older falcosidekicks) as {"event": <the alert>, "outputs": [<the enabled outputs>]}; it answers 200
// `"{}"`, 400 for a body it cannot decode, 500 for an event it refuses or when Redis fails. POSTs need
// no auth (its basic auth guards the reads only).
import type { Dispatcher } from 'undici';
import {
  classifyHttp,
  createHttpPool,
  defineOutput,
  fail,
  legacyConcurrency,
  loadTls,
  maxConcurrentRequests,
  optionalHttpUrl,
  sendEach,
  sendHttp,
  serializeAlert,
  tlsShape,
  z,
  type Alert,
} from '../../src/plugin/index.ts';
import { uiRefusal, uiUuid } from './event-check.ts';
import { enabledOutputNames } from './names.ts';

interface WebUiClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  outputs: () => string;
}

/** The body falcosidekick's WebUIPost sends: the alert as the webhook body (its uuid as uiUuid), then the outputs list. */
function webUiBody(alert: Alert, outputs: string): string {
  const json = serializeAlert(alert);
  const own = `{"uuid":${JSON.stringify(alert.uuid)}`; // the alert JSON's first key
  const uuid = uiUuid(alert.uuid);
  const event = uuid === alert.uuid || !json.startsWith(own) ? json : `{"uuid":${JSON.stringify(uuid)}${json.slice(own.length)}`;
  return `{"event":${event},"outputs":${outputs}}`;
}

export default defineOutput({
  name: 'webui',
  description: 'POST each alert with the list of enabled outputs to a falcosidekick-ui you run (its /api/v1/ ingest).',
  schema: z.object({
    url: optionalHttpUrl('http://falcosidekick-ui:2802/api/v1/').describe(
      'falcosidekick-ui ingest URL, posted to as is: http://falcosidekick-ui:2802/api/v1/ (or http://falcosidekick-ui:2802, its route for older falcosidekicks). Setting it turns the output on.',
    ),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { url: 'http://falcosidekick-ui:2802/api/v1/' },
  enabled: (options) => options.url !== '',
  // falcosidekick-ui writes each event to Redis and answers at once.
  concurrency: 8,
  legacySettings: (options) => legacyConcurrency(options),
  connect(options, ctx): WebUiClient {
    const url = new URL(options.url);
    const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    const running = ctx.outputs ?? (() => [{ name: ctx.name, type: 'webui' }]);
    return {
      pool,
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': ctx.userAgent },
      outputs: () => JSON.stringify(enabledOutputNames(running())),
    };
  },
  sendBatch(alerts, { client, signal }) {
    const outputs = client.outputs();
    return sendEach(alerts, async (alert) => {
      const refusal = uiRefusal(alert);
      if (refusal !== undefined) return fail(`falcosidekick-ui would refuse it (500): ${refusal}`);
      const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body: webUiBody(alert, outputs), signal });
      return classifyHttp(res);
    });
  },
  async close(client) {
    await client.pool.close();
  },
});
