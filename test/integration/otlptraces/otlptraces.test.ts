// The otlptraces output against a real OpenTelemetry Collector (otlpreceiver -> fileexporter,
// test/infra/otelcol/): one span per alert, in order, with falcosidekick's trace id, resource and
// scope, the alert's exact time, over http/protobuf, http/json and grpc.
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { distinctAlert } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { postEach } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';
import { attr, type OtelcolInfra, type ReceivedSpan, waitForOtlpSpans } from '../../infra/otelcol/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const uuidOf = (s: ReceivedSpan) => attr(s.attributes, 'uuid')?.stringValue ?? '';
// falcosidekick 2.34.1 sent this trace id for the fixture's pod (FNV-1a 128 of "default:web-7d9"),
// captured from its own export to the same collector.
const FIXTURE_TRACE_ID = '574d3c7e36b1bc67ce2769b2ac7a76cd';

describe.skipIf(infraSkipped('otelcol'))('otlptraces output against the OpenTelemetry Collector', () => {
  let otel: OtelcolInfra;
  beforeAll(async () => {
    otel = await useInfra<OtelcolInfra>('otelcol');
  });

  it.each(['http/protobuf', 'http/json', 'grpc'])('%s: 300 alerts arrive once, in order, one span each', async (protocol) => {
    const marker = randomUUID();
    const count = 300;
    const alerts = Array.from({ length: count }, (_, i) => distinctAlert(marker, i, i % 2 ? 'Critical' : 'Notice'));
    app = await startApp(`otlp:\n  traces:\n    endpoint: ${protocol === 'grpc' ? otel.grpcEndpoint : otel.httpUrl}\n    protocol: ${protocol}\n    duration: 250\n    maxconcurrency: 1\n`);
    await postEach(app, alerts.map((a) => a.json));
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_delivered_total', { output: 'otlptraces' })) === count, 60_000, 'delivered');
    const got = await waitForOtlpSpans(otel, (s) => uuidOf(s).startsWith(`${marker}-`), { count, timeoutMs: 30_000 });

    expect(got.map(uuidOf)).toEqual(alerts.map((_, i) => `${marker}-${i}`));
    got.forEach((span, i) => {
      const { timeNs, evtTime } = alerts[i] as (typeof alerts)[number];
      const uuid = `${marker}-${i}`;
      expect(span).toEqual({
        resource: [
          { key: 'service.name', value: { stringValue: 'falco' } },
          { key: 'service.version', value: { stringValue: 'v0.1.0' } },
        ],
        schemaUrl: 'https://opentelemetry.io/schemas/1.23.1',
        scope: { name: 'falco-event' },
        traceId: FIXTURE_TRACE_ID,
        spanId: createHash('sha256').update(uuid).digest('hex').slice(0, 16),
        flags: 257,
        name: 'Terminal shell in container',
        kind: 2,
        startTimeUnixNano: String(timeNs),
        endTimeUnixNano: String(timeNs + 250_000_000n),
        attributes: [
          { key: 'uuid', value: { stringValue: uuid } },
          { key: 'source', value: { stringValue: 'syscall' } },
          { key: 'priority', value: { stringValue: i % 2 ? 'Critical' : 'Notice' } },
          { key: 'rule', value: { stringValue: 'Terminal shell in container' } },
          { key: 'hostname', value: { stringValue: 'node-1' } },
          { key: 'tags', value: { arrayValue: { values: ['T1059', 'container', 'mitre_execution', 'shell'].map((t) => ({ stringValue: t })) } } },
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
        ],
        events: [{ timeUnixNano: String(timeNs), name: expect.stringContaining('A shell was spawned in a container') }],
        status: {},
      });
    });
    expect(await metricValue(app, 'peregrine_dead_lettered_total', { output: 'otlptraces' })).toBe(0);
  }, 120_000);

  it('a path the collector does not serve (404) is dead-lettered with the status, not retried', async () => {
    const marker = randomUUID();
    app = await startApp(`otlp:\n  traces:\n    endpoint: ${otel.httpUrl}/v1/nope\n`);
    await postEach(app, [distinctAlert(marker, 0).json]);
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_dead_lettered_total', { output: 'otlptraces' })) === 1, 15_000, 'dead-lettered');
    const [letter] = app.deadLetters.list({ output: 'otlptraces' });
    expect(letter).toMatchObject({ reason: 'rejected', attempts: 1, alert: { uuid: `${marker}-0` } });
    expect(letter?.detail).toMatch(/^HTTP 404/);
    expect(await metricValue(app, 'peregrine_retries_total', { output: 'otlptraces' })).toBe(0);
  });
});
