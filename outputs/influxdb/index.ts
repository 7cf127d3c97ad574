// falcosidekick's influxdb: each alert as one line-protocol point (measurement `events`, the rule,
// priority, source, string output fields, hostname and tags as tags, the output text as the field
// `value`) to InfluxDB 1.x /write or 2.x/3.x /api/v2/write. Peregrine batches the points, escapes
// them as the line protocol requires, and writes the alert time as the point's timestamp.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, legacyConcurrency, loadTls, sendHttp } from '../../src/plugin/index.ts';
import { classifyWrite } from './classify.ts';
import { toLines, type Precision } from './line.ts';
import { authorization, influxdbProblems, influxdbSchema, precisionOf, writePath } from './options.ts';

interface InfluxClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  precision: Precision | '';
}

export default defineOutput({
  name: 'influxdb',
  description: 'Write alerts as InfluxDB line-protocol points (measurement "events") to InfluxDB 1.x /write or 2.x/3.x /api/v2/write, batched.',
  schema: influxdbSchema,
  example: { hostport: 'http://influxdb:8086' },
  enabled: (options) => options.hostport !== '',
  // InfluxDB's advice: batches of about 5,000 lines.
  batch: { maxevents: 5000, maxbytes: 1_000_000, flushms: 1000 },
  concurrency: 2,
  legacySettings: (options) => legacyConcurrency(options),
  validate: influxdbProblems,
  connect(options, ctx): InfluxClient {
    const base = new URL(options.hostport);
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', accept: 'application/json', 'user-agent': ctx.userAgent };
    const auth = authorization(options);
    if (auth) headers.authorization = auth;
    const pool = createHttpPool(base, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    return { pool, path: writePath(options, base.pathname), headers, precision: precisionOf(options) };
  },
  async sendBatch(alerts, { client, signal, clock }) {
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body: toLines(alerts, client.precision), signal });
    return classifyWrite(res, clock.now());
  },
  async close(client: InfluxClient) {
    await client.pool.close();
  },
});
