// Dynatrace: each alert as one log record to the Logs ingest API v2 (`<apiurl>/v2/logs/ingest`), as
// a JSON array of one, with the token as "Authorization: Api-Token <apitoken>". One record per
// request, as falcosidekick sends it: the API's 200 says only that part of a request was dropped,
// not which record, so a record alone is the one an answer is about.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, optionalHttpUrl, secret, sendEach, sendHttp, tlsShape, z } from '../../src/plugin/index.ts';
import { classifyDynatrace } from './classify.ts';
import { logRecord } from './record.ts';

interface DynatraceClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
}

/** falcosidekick's endpoint: apiurl without its trailing slashes, then /v2/logs/ingest. */
function ingestUrl(apiurl: string): URL {
  return new URL(`${apiurl.replace(/\/+$/, '')}/v2/logs/ingest`);
}

export default defineOutput({
  name: 'dynatrace',
  description: 'Send each alert as a log record to the Dynatrace Logs ingest API v2, with MITRE, container and Kubernetes attributes.',
  schema: z.object({
    apitoken: secret(z.string().default('').describe('Access token with the logs.ingest scope, sent as "Authorization: Api-Token <apitoken>". Required with apiurl.')),
    apiurl: optionalHttpUrl('https://abc12345.live.dynatrace.com/api').describe(
        'Environment API URL: https://<environment-id>.live.dynatrace.com/api (SaaS) or https://<activegate>:9999/e/<environment-id>/api (ActiveGate); /v2/logs/ingest is appended. Setting it turns the output on.',
      ),
    ...tlsShape,
  }),
  example: { apitoken: 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.your-token-secret', apiurl: 'https://abc12345.live.dynatrace.com/api' },
  // falcosidekick starts it only with both keys and quietly stays off with apiurl alone: here that is
  // a startup error (validate runs for an output that is on).
  enabled: (options) => options.apiurl !== '',
  // falcosidekick sends with no bound; ActiveGates answer 429/503 when overloaded.
  concurrency: 4,
  validate: (options) => (options.apitoken === '' ? [{ path: 'apitoken', message: 'is required when apiurl is set (an access token with the logs.ingest scope)' }] : []),
  connect(options, ctx): DynatraceClient {
    const url = ingestUrl(options.apiurl);
    const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    const headers = { 'content-type': 'application/json; charset=utf-8', 'user-agent': ctx.userAgent, authorization: `Api-Token ${options.apitoken}` };
    return { pool, path: `${url.pathname}${url.search}`, headers };
  },
  sendBatch(alerts, { client, signal, clock }) {
    return sendEach(alerts, async (alert) => {
      const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body: `[${logRecord(alert)}]`, signal });
      return classifyDynatrace(res, clock.now());
    });
  },
  async close(client) {
    await client.pool.close();
  },
});
