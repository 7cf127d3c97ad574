// dogstatsd against statsd_exporter (DogStatsD tags parsed strictly): the constant tags and the
// priority tag become labels of exactly the counts sent, with no line or tag it cannot parse.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { waitFor } from '../../support/receiver.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { counted, type StatsdExporterInfra } from '../../infra/statsdexporter/state.ts';

describe.skipIf(infraSkipped('statsdexporter'))('dogstatsd against statsd_exporter', () => {
  let se: StatsdExporterInfra;
  let app: RunningApp | undefined;

  beforeAll(async () => {
    se = await useInfra<StatsdExporterInfra>('statsdexporter');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('tags from DOGSTATSD_TAGS-style config and the priority arrive as labels, counted exactly', { timeout: 30_000 }, async () => {
    const ns = `d${randomBytes(4).toString('hex')}`;
    const before = (await counted(se, ns)).errors;
    app = await startApp(`dogstatsd:\n  forwarder: 127.0.0.1:${se.udpPort}\n  namespace: ${ns}.\n  tags: "env:prod,team:sec"\n`);
    const alerts = [...Array.from({ length: 30 }, (_, i) => falcoAlertJson(i, 'Critical')), ...Array.from({ length: 70 }, (_, i) => falcoAlertJson(30 + i, 'Warning'))];
    expect((await app.post(`[${alerts.join(',')}]`)).status).toBe(200);
    await waitFor(() => app?.workers[0]?.healthSnapshot().delivered === 100, 20_000, '100 deliveries');
    await waitFor(async () => (await counted(se, ns)).samples[`${ns}_total{env="prod",team="sec"}`] === 100, 10_000, 'the exporter counted 100');
    const result = await counted(se, ns);
    expect(result.samples).toEqual({
      [`${ns}_total{env="prod",team="sec"}`]: 100,
      [`${ns}_inputs_requests_accepted{env="prod",team="sec"}`]: 100,
      [`${ns}_falco_accepted{env="prod",priority="Critical",team="sec"}`]: 30,
      [`${ns}_falco_accepted{env="prod",priority="Warning",team="sec"}`]: 70,
    });
    expect(result.errors - before).toBe(0);
  });
});
