// The otlp output against a real OpenTelemetry Collector (otlpreceiver -> fileexporter,
// test/infra/otelcol/): every alert arrives once, in order, with its exact time, severity and typed
// attributes, over http/protobuf, http/json and grpc (the collector's OTLP/gRPC receiver).
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { distinctAlert } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { postEach } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';
import { attr, type OtelcolInfra, type ReceivedLogRecord, waitForOtlpLogs } from '../../infra/otelcol/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const uuidOf = (r: ReceivedLogRecord) => attr(r.attributes, 'uuid')?.stringValue ?? '';

describe.skipIf(infraSkipped('otelcol'))('otlp output against the OpenTelemetry Collector', () => {
  let otel: OtelcolInfra;
  beforeAll(async () => {
    otel = await useInfra<OtelcolInfra>('otelcol');
  });

  it.each([
    ['http/protobuf', 2000],
    ['http/json', 2000],
    ['grpc', 2000],
  ])('%s: %i alerts arrive once, in order, with exact times, severity and typed attributes', async (protocol, count) => {
    const marker = randomUUID();
    const priorities = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;
    const alerts = Array.from({ length: count }, (_, i) => distinctAlert(marker, i, priorities[i % priorities.length]));
    app = await startApp(
      `customfields:\n  environment: production\notlp:\n  maxconcurrency: 1\n  logs:\n    endpoint: ${protocol === 'grpc' ? otel.grpcEndpoint : `${otel.httpUrl}/v1/logs`}\n    protocol: ${protocol}\n    headers: "x-test=${marker}"\n`,
    );
    await postEach(app, alerts.map((a) => a.json));
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_delivered_total', { output: 'otlp' })) === count, 60_000, 'delivered');
    const got = await waitForOtlpLogs(otel, (r) => uuidOf(r).startsWith(`${marker}-`), { count, timeoutMs: 30_000 });

    expect(got).toHaveLength(count);
    // One worker, one request at a time: the collector holds them in ingest order.
    expect(got.map(uuidOf)).toEqual(alerts.map((_, i) => `${marker}-${i}`));
    const severity: Record<string, number> = { Emergency: 21, Alert: 19, Critical: 18, Error: 17, Warning: 13, Notice: 10, Informational: 9, Debug: 5 };
    got.forEach((r, i) => {
      const { timeNs, evtTime } = alerts[i] as (typeof alerts)[number];
      const priority = priorities[i % priorities.length] as string;
      expect(r.timeUnixNano).toBe(String(timeNs));
      expect(r.severityNumber).toBe(severity[priority]);
      expect(r.severityText).toBe(priority);
      expect(r.body).toEqual({ stringValue: expect.stringContaining('A shell was spawned') });
      expect(r.scope.name).toBe('falco');
      expect(r.resource).toEqual([
        { key: 'service.name', value: { stringValue: 'falco' } },
        { key: 'host.name', value: { stringValue: 'node-1' } },
        { key: 'environment', value: { stringValue: 'production' } },
      ]);
      expect(r.attributes).toEqual([
        { key: 'rule', value: { stringValue: 'Terminal shell in container' } },
        { key: 'priority', value: { stringValue: priority } },
        { key: 'source', value: { stringValue: 'syscall' } },
        { key: 'tags', value: { arrayValue: { values: ['T1059', 'container', 'mitre_execution', 'shell'].map((t) => ({ stringValue: t })) } } },
        { key: 'uuid', value: { stringValue: `${marker}-${i}` } },
        { key: 'container.id', value: { stringValue: '1f0a2e5c8d3b' } },
        { key: 'evt.time', value: { intValue: String(evtTime) } }, // > 2^53, exact
        { key: 'proc.pid', value: { intValue: String(4242 + i) } },
        { key: 'evt.score', value: { doubleValue: i + 0.5 } },
        { key: 'fd.is_server', value: { boolValue: i % 2 === 0 } },
        { key: 'proc.cmdline', value: { stringValue: 'sh -c id' } },
        { key: 'k8s.ns.name', value: { stringValue: 'default' } },
        { key: 'k8s.pod.name', value: { stringValue: 'web-7d9' } },
        { key: 'user.name', value: { stringValue: 'root' } },
        // proc.aname[2] was null: left out
      ]);
    });
    expect(await metricValue(app, 'peregrine_dead_lettered_total', { output: 'otlp' })).toBe(0);
  }, 180_000);

  it('grpc: a batch above the collector\'s 4 MiB message limit (RESOURCE_EXHAUSTED "larger than max") is sent again in halves; every alert arrives once', async () => {
    const marker = randomUUID();
    const count = 1000;
    // ~6 KB per log record: the first request is ~6 MB, over the gRPC receiver's default 4 MiB.
    const pad = 'x'.repeat(6000);
    const alerts = Array.from({ length: count }, (_, i) => distinctAlert(marker, i).json.replace('"proc.cmdline":"sh -c id"', `"proc.cmdline":"sh -c id ${pad}"`));
    app = await startApp(`otlp:\n  maxconcurrency: 1\n  batch:\n    maxevents: ${count}\n    maxbytes: 50000000\n    flushms: 60000\n  logs:\n    endpoint: ${otel.grpcEndpoint}\n    protocol: grpc\n`);
    await postEach(app, alerts);
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_delivered_total', { output: 'otlp' })) === count, 60_000, 'delivered');
    const got = await waitForOtlpLogs(otel, (r) => uuidOf(r).startsWith(`${marker}-`), { count, timeoutMs: 30_000 });
    expect(got.map(uuidOf)).toEqual(alerts.map((_, i) => `${marker}-${i}`));
    expect(got.every((r) => attr(r.attributes, 'proc.cmdline')?.stringValue === `sh -c id ${pad}`)).toBe(true);
    expect(await metricValue(app, 'peregrine_batch_splits_total', { output: 'otlp' })).toBeGreaterThanOrEqual(1);
    expect(await metricValue(app, 'peregrine_dead_lettered_total', { output: 'otlp' })).toBe(0);
  }, 120_000);

  it('a path the collector does not serve (404) is dead-lettered with the status, not retried', async () => {
    const marker = randomUUID();
    app = await startApp(`otlp:\n  logs:\n    endpoint: ${otel.httpUrl}/v1/nope\n    protocol: http/json\n`);
    await postEach(app, [distinctAlert(marker, 0).json]);
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_dead_lettered_total', { output: 'otlp' })) === 1, 15_000, 'dead-lettered');
    const [letter] = app.deadLetters.list({ output: 'otlp' });
    expect(letter).toMatchObject({ reason: 'rejected', attempts: 1, alert: { uuid: `${marker}-0` } });
    expect(letter?.detail).toMatch(/^HTTP 404/);
    expect(await metricValue(app, 'peregrine_retries_total', { output: 'otlp' })).toBe(0);
  });
});
