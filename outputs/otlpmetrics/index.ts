// OTLP metrics over HTTP (protobuf or JSON) or gRPC: falcosidekick's `otlp.metrics` counter
// falcosecurity_falco_rules_matches_total, cumulative, one data point per attribute set
// (counter.ts). A batch is added to a copy of the counts so far and the WHOLE counter is exported;
// the copy becomes the counts only once the collector accepted it, so a retried batch is never
// counted twice and a refused one is not counted at all. Sends are serialised (each builds on the
// last accepted counts), and the long flush makes one export a minute, as the OTel SDK's periodic
// reader does.
import { defineOutput } from '../../src/plugin/index.ts';
import { closeExporter, exportBatch, otlpExporter, type OtlpExporter } from '../otlp/exporter.ts';
import { addAlerts, attributePlan, type AttributePlan, type Counts } from './counter.ts';
import { encodeJson, encodeProtobuf } from './encode.ts';
import { metricsSchema } from './options.ts';

interface MetricsClient {
  exporter: OtlpExporter;
  plan: AttributePlan;
  /** What the collector has accepted. */
  counts: Counts;
  /** When counting started (the data points' start time). */
  startNs: bigint;
  /** The send in progress: the next one waits for it. */
  last: Promise<unknown>;
}

const nanos = (ms: number) => BigInt(Math.round(ms)) * 1_000_000n;

export default defineOutput({
  name: 'otlpmetrics',
  section: ['otlp', 'metrics'],
  // falcosidekick's otlp.metrics.timeout (ms) is the core's timeoutms.
  aliases: { timeout: 'timeoutms' },
  description: 'Count alerts as the OpenTelemetry metric falcosecurity_falco_rules_matches_total (cumulative, per rule, priority, source, hostname, tags and chosen fields) over OTLP/HTTP (protobuf or JSON) or OTLP/gRPC, exported once a minute.',
  schema: metricsSchema,
  example: { endpoint: 'http://otel-collector:4318/v1/metrics' },
  enabled: (options) => options.endpoint !== '',
  // One export per minute (the OTel SDK's periodic reader interval) carrying every alert of the
  // minute; the request's size does not grow with the batch (one data point per attribute set).
  batch: { maxevents: 10_000, maxbytes: 50_000_000, flushms: 60_000 },
  concurrency: 1,
  connect(options, ctx) {
    const { plan, skipped } = attributePlan(ctx.enrichment?.customfields ?? [], options.extraattributes);
    for (const field of skipped) ctx.log.warn({ field }, 'customfield left out of the metric: its name is not a metric attribute name once its dots are underscores');
    return { exporter: otlpExporter('metrics', options, ctx), plan, counts: new Map(), startNs: nanos(ctx.clock.now()), last: Promise.resolve() as Promise<unknown> } satisfies MetricsClient;
  },
  sendBatch(alerts, { client, signal, clock }) {
    const send = async () => {
      const next = addAlerts(client.counts, alerts, client.plan);
      const series = [...next.values()];
      const request = { series, startNs: client.startNs, timeNs: nanos(clock.now()) };
      const body = client.exporter.protobuf ? encodeProtobuf(request) : encodeJson(request);
      const outcome = await exportBatch(client.exporter, body, series.length, signal, clock);
      // An answer after the deadline is ignored by the core, which sends the batch again.
      if (outcome.kind === 'ok' && !signal.aborted) client.counts = next;
      return outcome;
    };
    const result = client.last.then(send, send);
    client.last = result.catch(() => undefined);
    return result;
  },
  async close(client: MetricsClient) {
    await closeExporter(client.exporter);
  },
});
