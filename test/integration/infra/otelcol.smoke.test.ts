// Smoke test of the OTLP test receiver (OpenTelemetry Collector, see test/infra/otelcol/state.ts).
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { attr, type OtelcolInfra, waitForOtlpLogs } from '../../infra/otelcol/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

describe.skipIf(infraSkipped('otelcol'))('infra: otelcol OTLP receiver', () => {
  let otel: OtelcolInfra;
  beforeAll(async () => {
    otel = await useInfra<OtelcolInfra>('otelcol');
  });

  it('state file has the documented shape', () => {
    expect(otel).toEqual({
      httpUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      grpcEndpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      logsFile: expect.any(String),
      tracesFile: expect.any(String),
      metricsFile: expect.any(String),
      log: expect.any(String),
    });
  });

  it('an OTLP/JSON record comes back from the file with its int64 and time exact; a bad body is 400', async () => {
    const marker = randomUUID();
    const body = JSON.stringify({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1795170096167531875', body: { stringValue: marker }, attributes: [{ key: 'n', value: { intValue: '9223372036854775807' } }] }] }] }],
    });
    const res = await request(`${otel.httpUrl}/v1/logs`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ partialSuccess: {} });
    const [got] = await waitForOtlpLogs(otel, (r) => r.body?.stringValue === marker);
    expect(got?.timeUnixNano).toBe('1795170096167531875');
    expect(attr(got?.attributes ?? [], 'n')).toEqual({ intValue: '9223372036854775807' });
    const bad = await request(`${otel.httpUrl}/v1/logs`, { method: 'POST', body: '{"resourceLogs":', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    await bad.body.dump();
  });
});
