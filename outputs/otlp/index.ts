// OTLP logs over HTTP (protobuf or JSON): one log record per alert with the alert's exact time,
// severity from the Falco priority and the output fields as typed attributes, batched.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, sendHttp } from '../../src/plugin/index.ts';
import { encodeJson } from './encode-json.ts';
import { encodeProtobuf } from './encode-protobuf.ts';
import { grpcRefused, otlpSchema, signalUrl } from './options.ts';
import { groupByResource, type RecordPlan } from './record.ts';
import { classifyExport } from './response.ts';

interface OtlpClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  plan: RecordPlan;
  protobuf: boolean;
}

export default defineOutput({
  name: 'otlp',
  description: 'Send alerts as OpenTelemetry log records over OTLP/HTTP (protobuf or JSON), batched, with the exact alert time, severity from the priority and typed attributes.',
  schema: otlpSchema,
  example: { logs: { endpoint: 'http://otel-collector:4318/v1/logs' } },
  enabled: (options) => options.logs.endpoint !== '',
  // The collector's OTLP/HTTP receiver takes up to 20 MiB per request by default (confighttp
  // max_request_body_size); 2 MB keeps a batch far below it and below most gateways' limits.
  batch: { maxevents: 500, maxbytes: 2_000_000, flushms: 1000 },
  concurrency: 2,
  legacySettings: (options) => ({ minimumpriority: options.logs.minimumpriority }),
  validate: (options) => grpcRefused(options.logs.protocol, 'logs.protocol'),
  connect(options, ctx) {
    const logs = options.logs;
    const url = signalUrl(logs.endpoint, 'logs');
    const protobuf = logs.protocol === 'http/protobuf';
    const headers: Record<string, string> = {
      'user-agent': ctx.userAgent,
      ...logs.headers,
      'content-type': protobuf ? 'application/x-protobuf' : 'application/json',
    };
    const pool = createHttpPool(url, { tls: loadTls(logs, ctx.tls), connections: ctx.concurrency + 1, timeoutMs: ctx.timeoutMs });
    const plan: RecordPlan = { serviceName: logs.servicename, customfields: new Set(ctx.enrichment?.customfields ?? []) };
    return { pool, path: `${url.pathname}${url.search}`, headers, plan, protobuf } satisfies OtlpClient;
  },
  async sendBatch(alerts, { client, signal, clock }) {
    const groups = groupByResource(alerts, client.plan);
    const observedNs = BigInt(Math.round(clock.now())) * 1_000_000n;
    const body = client.protobuf ? asBuffer(encodeProtobuf(groups, observedNs)) : encodeJson(groups, observedNs);
    // A network error throws: the core retries it.
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body, signal });
    return classifyExport(res, alerts.length, client.protobuf, clock.now());
  },
  async close(client: OtlpClient) {
    await client.pool.close();
  },
});

/** The encoded bytes as a Buffer without a copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
