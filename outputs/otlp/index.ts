// OTLP logs over HTTP (protobuf or JSON) or gRPC: one log record per alert with the alert's exact time,
// severity from the Falco priority and the output fields as typed attributes, batched.
import { defineOutput } from '../../src/plugin/index.ts';
import { encodeJson } from './encode-json.ts';
import { encodeProtobuf } from './encode-protobuf.ts';
import { closeExporter, exportBatch, otlpExporter, type OtlpExporter } from './exporter.ts';
import { otlpSchema } from './options.ts';
import { groupByResource, type RecordPlan } from './record.ts';

interface OtlpClient {
  exporter: OtlpExporter;
  plan: RecordPlan;
}

export default defineOutput({
  name: 'otlp',
  description: 'Send alerts as OpenTelemetry log records over OTLP/HTTP (protobuf or JSON) or OTLP/gRPC, batched, with the exact alert time, severity from the priority and typed attributes.',
  schema: otlpSchema,
  example: { logs: { endpoint: 'http://otel-collector:4318/v1/logs' } },
  enabled: (options) => options.logs.endpoint !== '',
  // The collector's OTLP/HTTP receiver takes up to 20 MiB per request by default (confighttp
  // max_request_body_size); 2 MB keeps a batch far below it and below most gateways' limits.
  batch: { maxevents: 500, maxbytes: 2_000_000, flushms: 1000 },
  concurrency: 2,
  legacySettings: (options) => ({ minimumpriority: options.logs.minimumpriority }),
  connect(options, ctx) {
    const plan: RecordPlan = { serviceName: options.logs.servicename, customfields: new Set(ctx.enrichment?.customfields ?? []) };
    return { exporter: otlpExporter('logs', options.logs, ctx), plan } satisfies OtlpClient;
  },
  async sendBatch(alerts, { client, signal, clock }) {
    const groups = groupByResource(alerts, client.plan);
    const observedNs = BigInt(Math.round(clock.now())) * 1_000_000n;
    const body = client.exporter.protobuf ? encodeProtobuf(groups, observedNs) : encodeJson(groups, observedNs);
    return exportBatch(client.exporter, body, alerts.length, signal, clock);
  },
  async close(client: OtlpClient) {
    await closeExporter(client.exporter);
  },
});
