// Quickwit: each alert's JSON as one NDJSON line, one POST per alert to
// <hostport>/<apiendpoint>/<index>/ingest, as falcosidekick sends it. With autocreateindex, the
// index is created at connect with falcosidekick's doc mapping (index-config.ts) unless it exists.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, excerpt, legacyConcurrency, loadTls, sendEach, sendHttp, serializeAlert } from '../../src/plugin/index.ts';
import { classifyIngest } from './classify.ts';
import { indexConfig } from './index-config.ts';
import { apiBase, quickwitSchema, validateQuickwit, type QuickwitOptions } from './options.ts';

interface QuickwitClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
}

export default defineOutput({
  name: 'quickwit',
  description: "Ingest each alert as JSON into a Quickwit index (its /api/v1/<index>/ingest API); optionally create the index with falcosidekick's mapping.",
  schema: quickwitSchema,
  example: { hostport: 'http://quickwit:7280', autocreateindex: true },
  enabled: (options) => options.hostport !== '',
  validate: validateQuickwit,
  concurrency: 1,
  legacySettings: (options) => legacyConcurrency(options),
  async connect(options, ctx): Promise<QuickwitClient> {
    const url = new URL(`${apiBase(options)}/${encodeURIComponent(options.index)}/ingest`);
    const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    const headers = { 'content-type': 'application/json; charset=utf-8', 'user-agent': ctx.userAgent, ...options.customheaders };
    const client = { pool, path: `${url.pathname}${url.search}`, headers };
    if (options.autocreateindex) {
      try {
        await createIndex(client, options, AbortSignal.timeout(ctx.timeoutMs));
      } catch (err) {
        await pool.close();
        throw err;
      }
    }
    return client;
  },
  sendBatch(alerts, { client, options, signal, clock }) {
    return sendEach(alerts, async (alert) => {
      const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body: `${serializeAlert(alert)}\n`, signal });
      return classifyIngest(res, clock.now(), options.index);
    });
  },
  async close(client) {
    await client.pool.close();
  },
});

/** falcosidekick's check: GET …/indexes/<index>/describe; anything but a 2xx means "create it". */
async function createIndex(client: QuickwitClient, options: QuickwitOptions, signal: AbortSignal): Promise<void> {
  const base = new URL(apiBase(options)).pathname.replace(/\/+$/, '');
  const described = await sendHttp(client.pool, { path: `${base}/indexes/${encodeURIComponent(options.index)}/describe`, method: 'GET', headers: client.headers, signal });
  if (described.status >= 200 && described.status < 300) return;
  const created = await sendHttp(client.pool, { path: `${base}/indexes`, method: 'POST', headers: client.headers, body: `${indexConfig(options)}\n`, signal });
  if (created.status >= 200 && created.status < 300) return;
  // Created meanwhile by another daemon (falcosidekick took a 400 without a body as this).
  if ((created.status === 400 || created.status === 409) && /already exists/i.test(created.text)) return;
  throw new Error(`cannot create Quickwit index ${options.index}: HTTP ${created.status}${created.text ? `: ${excerpt(created.text)}` : ''}`);
}
