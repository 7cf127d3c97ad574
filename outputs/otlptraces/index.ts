// OTLP traces over HTTP (protobuf or JSON): one span per alert (span.ts), the alerts of one pod,
// container or host in one trace, batched. falcosidekick's `otlp.traces` output; the answers are
// classified as the otlp (logs) output's (otlp/response.ts).
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, sendHttp } from '../../src/plugin/index.ts';
import type { KeyValue } from '../otlp/any-value.ts';
import { grpcRefused, signalUrl } from '../otlp/options.ts';
import { classifyExport } from '../otlp/response.ts';
import { encodeJson, encodeProtobuf } from './encode.ts';
import { tracesSchema } from './options.ts';
import { resourceOf, spanOf } from './span.ts';

interface TracesClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  resource: KeyValue[];
  durationMs: number;
  protobuf: boolean;
}

export default defineOutput({
  name: 'otlptraces',
  section: ['otlp', 'traces'],
  description: 'Send alerts as OpenTelemetry spans over OTLP/HTTP (protobuf or JSON), one per alert, the alerts of one pod, container or host in one trace, batched.',
  schema: tracesSchema,
  example: { endpoint: 'http://otel-collector:4318/v1/traces' },
  enabled: (options) => options.endpoint !== '',
  // As the otlp (logs) output: far below the collector's 20 MiB request limit.
  batch: { maxevents: 500, maxbytes: 2_000_000, flushms: 1000 },
  concurrency: 2,
  validate: (options) => grpcRefused(options.protocol, 'protocol'),
  connect(options, ctx) {
    const url = signalUrl(options.endpoint, 'traces');
    const protobuf = options.protocol === 'http/protobuf';
    const headers: Record<string, string> = {
      'user-agent': ctx.userAgent,
      ...options.headers,
      'content-type': protobuf ? 'application/x-protobuf' : 'application/json',
    };
    const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency + 1, timeoutMs: ctx.timeoutMs });
    return { pool, path: `${url.pathname}${url.search}`, headers, resource: resourceOf(options.servicename), durationMs: options.duration, protobuf } satisfies TracesClient;
  },
  async sendBatch(alerts, { client, signal, clock }) {
    const spans = alerts.map((alert) => spanOf(alert, client.durationMs));
    const body = client.protobuf ? asBuffer(encodeProtobuf(client.resource, spans)) : encodeJson(client.resource, spans);
    // A network error throws: the core retries it.
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body, signal });
    return classifyExport(res, alerts.length, client.protobuf, clock.now(), 'traces');
  },
  async close(client: TracesClient) {
    await client.pool.close();
  },
});

/** The encoded bytes as a Buffer without a copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
