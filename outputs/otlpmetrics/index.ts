// OTLP metrics over HTTP (protobuf or JSON) or gRPC: falcosidekick's `otlp.metrics` counter
// falcosecurity_falco_rules_matches_total, cumulative, one data point per attribute set
// (counter.ts). A batch is added to a copy of the counts so far and the WHOLE counter is exported;
// the copy becomes the counts only once the collector accepted it, so a retried batch is never
// counted twice and a refused one is not counted at all; no value goes below one sent before
// (send.ts). Sends are serialised (each builds on the last accepted counts), the long flush makes
// one export a minute, as the OTel SDK's periodic reader does, and while no alert comes the counts
// are exported again at that interval (idle.ts).
import { hostname } from 'node:os';
import { defineOutput } from '../../src/plugin/index.ts';
import { closeExporter, otlpExporter } from '../otlp/exporter.ts';
import { addAlerts, attributePlan } from './counter.ts';
import { resourceOf } from './encode.ts';
import { IdleExport, idleIntervalMs } from './idle.ts';
import { metricsSchema } from './options.ts';
import { exportCounts, nanos, serialised, type MetricsState } from './send.ts';

interface MetricsClient extends MetricsState {
  idle: IdleExport;
}

/** The OTel SDK's periodic reader interval: the flush of a batch, and the re-export while idle. */
const INTERVAL_MS = 60_000;

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
  batch: { maxevents: 10_000, maxbytes: 50_000_000, flushms: INTERVAL_MS },
  concurrency: 1,
  connect(options, ctx) {
    const { plan, skipped } = attributePlan(ctx.enrichment?.customfields ?? [], options.extraattributes);
    for (const field of skipped) ctx.log.warn({ field }, 'customfield left out of the metric: its name is not a metric attribute name once its dots are underscores');
    const now = ctx.clock.now();
    const state: MetricsState = {
      exporter: otlpExporter('metrics', options, ctx),
      plan,
      resource: resourceOf(hostname()),
      counts: new Map(),
      sent: new Map(),
      startNs: nanos(now),
      last: Promise.resolve(),
      lastExportAt: now,
    };
    // The options handed to connect() hold the core keys too: the output's effective batch.flushms.
    const flushms = (options as { batch?: { flushms?: number } }).batch?.flushms;
    const intervalMs = idleIntervalMs(flushms, INTERVAL_MS);
    const idle = new IdleExport({
      clock: ctx.clock,
      log: ctx.log,
      intervalMs,
      timeoutMs: ctx.timeoutMs,
      lastExportAt: () => state.lastExportAt,
      exportIdle: (signal) =>
        serialised(state, async () => {
          // Nothing counted yet, or an export happened while this one waited for it: nothing to do.
          if (state.counts.size === 0 || ctx.clock.now() - state.lastExportAt < intervalMs) return undefined;
          return exportCounts(state, state.counts, signal, ctx.clock);
        }),
    });
    idle.start();
    return Object.assign(state, { idle }) satisfies MetricsClient;
  },
  sendBatch(alerts, { client, signal, clock }) {
    return serialised(client, async () => {
      const next = addAlerts(client.counts, alerts, client.plan);
      const outcome = await exportCounts(client, next, signal, clock);
      // An ok answer is the collector's, even when the deadline passed as it came: the core takes
      // it as delivered too (it ignores only a send still unsettled past a grace after its
      // deadline, and exportBatch settles as soon as its signal aborts).
      if (outcome.kind === 'ok') client.counts = next;
      return outcome;
    });
  },
  async close(client: MetricsClient) {
    client.idle.stop();
    await closeExporter(client.exporter);
  },
});
