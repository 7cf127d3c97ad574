// falcosidekick's wavefront: each alert as one point of the metric `metricname` (value 1, the alert
// time in epoch nanoseconds, source "falco-exporter", the alert's fields as point tags), in the
// Wavefront data format, gzip'd, POSTed to /report?f=wavefront of Wavefront (direct ingestion, with
// the token) or of a Wavefront proxy's metrics port, as the Wavefront Go SDK does for falcosidekick.
import { gzipSync } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, sendHttp } from '../../src/plugin/index.ts';
import { classifyReport } from './classify.ts';
import { sanitizeName, pointLines } from './line.ts';
import { legacyBatch, reportUrl, wavefrontProblems, wavefrontSchema } from './options.ts';

interface WavefrontClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  metric: string;
}

export default defineOutput({
  name: 'wavefront',
  description: 'Send each alert as a point of the metric falco.alert (value 1, its fields as point tags) to Wavefront, directly or through a Wavefront proxy, batched.',
  schema: wavefrontSchema,
  example: { endpointtype: 'direct', endpointhost: 'myinstance.wavefront.com', endpointtoken: 'your-api-token' },
  enabled: (options) => options.endpointtype !== '' && options.endpointhost !== '',
  // The SDK's batch (10,000 points, flushed every second); 4 MB of lines before gzip.
  batch: { maxevents: 10000, maxbytes: 4_000_000, flushms: 1000 },
  concurrency: 2,
  legacySettings: legacyBatch,
  validate: wavefrontProblems,
  connect(options, ctx): WavefrontClient {
    const url = reportUrl(options);
    if (typeof url === 'string') throw new Error(`wavefront.endpointhost ${url}`);
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip', 'user-agent': ctx.userAgent };
    if (options.endpointtype === 'direct') headers.authorization = `Bearer ${options.endpointtoken}`;
    const pool = createHttpPool(url.origin, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    return { pool, path: `${url.pathname}${url.search}`, headers, metric: sanitizeName(options.metricname) };
  },
  async sendBatch(alerts, { client, signal, clock }) {
    const body = gzipSync(pointLines(alerts, client.metric));
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body, signal });
    return classifyReport(res, clock.now());
  },
  async close(client: WavefrontClient) {
    await client.pool.close();
  },
});
