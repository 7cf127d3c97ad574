// OTLP traces over HTTP (protobuf or JSON) or gRPC: one span per alert (span.ts), the alerts of one pod,
// container or host in one trace, batched. falcosidekick's `otlp.traces` output; the answers are
// classified as the otlp (logs) output's (otlp/exporter.ts).
import { defineOutput } from '../../src/plugin/index.ts';
import type { KeyValue } from '../otlp/any-value.ts';
import { closeExporter, exportBatch, otlpExporter, type OtlpExporter } from '../otlp/exporter.ts';
import { encodeJson, encodeProtobuf } from './encode.ts';
import { tracesSchema } from './options.ts';
import { resourceOf, spanOf } from './span.ts';

interface TracesClient {
  exporter: OtlpExporter;
  resource: KeyValue[];
  durationMs: number;
}

export default defineOutput({
  name: 'otlptraces',
  section: ['otlp', 'traces'],
  // falcosidekick's otlp.traces.timeout (ms) is the core's timeoutms.
  aliases: { timeout: 'timeoutms' },
  description: 'Send alerts as OpenTelemetry spans over OTLP/HTTP (protobuf or JSON) or OTLP/gRPC, one per alert, the alerts of one pod, container or host in one trace, batched.',
  schema: tracesSchema,
  example: { endpoint: 'http://otel-collector:4318/v1/traces' },
  enabled: (options) => options.endpoint !== '',
  // As the otlp (logs) output: far below the collector's 20 MiB request limit.
  batch: { maxevents: 500, maxbytes: 2_000_000, flushms: 1000 },
  concurrency: 2,
  connect(options, ctx) {
    return { exporter: otlpExporter('traces', options, ctx), resource: resourceOf(options.servicename), durationMs: options.duration } satisfies TracesClient;
  },
  async sendBatch(alerts, { client, signal, clock }) {
    const spans = alerts.map((alert) => spanOf(alert, client.durationMs));
    const body = client.exporter.protobuf ? encodeProtobuf(client.resource, spans) : encodeJson(client.resource, spans);
    return exportBatch(client.exporter, body, alerts.length, signal, clock);
  },
  async close(client: TracesClient) {
    await closeExporter(client.exporter);
  },
});
