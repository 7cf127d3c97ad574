// falcosidekick's gcp.cloudfunctions: each alert's JSON as the `data` of a Cloud Functions v1
// `functions.call` (POST https://cloudfunctions.googleapis.com/v1/<name>:call, {"data": "<alert
// JSON>"}), what falcosidekick's Go client calls over gRPC, here over REST with a bearer token from
// gcp.credentials or Application Default Credentials (token.ts).
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, gcpKeyFile, gcpShared, httpUrl, loadTls, sendEach, sendHttp, serializeAlert, z } from '../../src/plugin/index.ts';
import { classifyCall } from './classify.ts';
import { adcTokenSource, keyTokenSource, type TokenSource } from './token.ts';

const FUNCTION_NAME = /^projects\/[^/]+\/locations\/[^/]+\/functions\/[^/]+$/;

interface Client {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  tokens: TokenSource;
}

export default defineOutput({
  name: 'gcpcloudfunctions',
  section: ['gcp', 'cloudfunctions'],
  shared: gcpShared,
  description: 'Call a Google Cloud Function (v1 functions.call API) with each alert as its data.',
  schema: z.object({
    name: z
      .union([z.literal(''), z.string().regex(FUNCTION_NAME, 'must be the function\'s full name: projects/<project>/locations/<region>/functions/<function>')])
      .default('')
      .describe('Full name of the function: projects/<project>/locations/<region>/functions/<function>. Setting it turns the output on.'),
    endpoint: httpUrl('https://cloudfunctions.googleapis.com')
      .default('https://cloudfunctions.googleapis.com')
      .describe('Base URL of the Cloud Functions API (a private endpoint or a proxy).'),
  }),
  example: { name: 'projects/my-project/locations/us-central1/functions/falco-handler' },
  enabled: (options) => options.name !== '',
  // functions.call is meant for light use: one call at a time.
  concurrency: 1,
  async connect(options, ctx): Promise<Client> {
    const key = gcpKeyFile(ctx.shared);
    const tokens = key ? keyTokenSource(key, ctx.clock) : await adcTokenSource();
    const base = new URL(options.endpoint);
    const pool = createHttpPool(base, { tls: loadTls({ checkcert: true, mutualtls: false, cacertfile: '' }, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    const path = `${base.pathname.replace(/\/+$/, '')}/v1/${options.name}:call`;
    return { pool, path, headers: { 'content-type': 'application/json', 'user-agent': ctx.userAgent }, tokens };
  },
  sendBatch(alerts, { client, options, signal, clock }) {
    return sendEach(alerts, async (alert) => {
      const token = await client.tokens.token();
      const body = JSON.stringify({ data: serializeAlert(alert) });
      const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: { ...client.headers, authorization: `Bearer ${token}` }, body, signal });
      return classifyCall(res, clock.now(), options.name);
    });
  },
  async close(client) {
    await client.pool.close();
  },
});
