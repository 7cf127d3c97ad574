// statsd against statsd_exporter (a StatsD server that parses every line strictly): 1,000 alerts
// of every priority counted exactly, no line it cannot parse; a forwarder port with nothing
// listening is not "delivered" (ICMP port unreachable) and the alerts wait.
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIORITIES } from '../../../src/plugin/index.ts';
import { falcoAlertJson } from '../../support/alerts.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { waitFor } from '../../support/receiver.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { counted, type StatsdExporterInfra } from '../../infra/statsdexporter/state.ts';

describe.skipIf(infraSkipped('statsdexporter'))('statsd against statsd_exporter', () => {
  let se: StatsdExporterInfra;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    se = await useInfra<StatsdExporterInfra>('statsdexporter');
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
  });

  async function start(yaml: string): Promise<RunningApp> {
    const app = await startApp(yaml);
    apps.push(app);
    return app;
  }

  it('1,000 alerts of every priority: total, inputs.requests.accepted and falco.accepted{priority} exact, no parse errors', { timeout: 60_000 }, async () => {
    // A namespace of its own: the exporter's counters live as long as it runs.
    const ns = `r${randomBytes(4).toString('hex')}`;
    const before = (await counted(se, ns)).errors;
    const app = await start(`statsd:\n  forwarder: 127.0.0.1:${se.udpPort}\n  namespace: ${ns}.\n`);
    const priorities = PRIORITIES;
    for (let from = 0; from < 1000; from += 250) {
      const batch = Array.from({ length: 250 }, (_, k) => falcoAlertJson(from + k, priorities[(from + k) % priorities.length]));
      expect((await app.post(`[${batch.join(',')}]`)).status).toBe(200);
    }
    await waitFor(() => app.workers[0]?.healthSnapshot().delivered === 1000, 30_000, '1,000 deliveries');
    const expected: Record<string, number> = { [`${ns}_total`]: 1000, [`${ns}_inputs_requests_accepted`]: 1000 };
    for (const [i, p] of priorities.entries()) expected[`${ns}_falco_accepted{priority="${p}"}`] = Math.floor(1000 / priorities.length) + (i < 1000 % priorities.length ? 1 : 0);
    await waitFor(async () => (await counted(se, ns)).samples[`${ns}_total`] === 1000, 10_000, 'the exporter counted 1,000');
    const result = await counted(se, ns);
    expect(result.samples).toEqual(expected);
    expect(result.errors - before).toBe(0);
  });

  it('nothing listens on the forwarder port: not delivered (port unreachable), the alerts wait', async () => {
    const probe = createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
    const port = probe.address().port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const app = await start(`statsd:\n  forwarder: 127.0.0.1:${port}\n  retry:\n    maxbackoffms: 200\n`);
    expect((await app.post(falcoAlertJson(0))).status).toBe(200);
    const worker = app.workers[0];
    await waitFor(() => (worker?.healthSnapshot().lastError ?? '').includes('port unreachable'), 20_000, 'a port-unreachable retry');
    expect(worker?.healthSnapshot()).toMatchObject({ delivered: 0, deadLettered: 0, queued: 1 });
    expect(worker?.healthSnapshot().lastError).toMatch(new RegExp(`udp 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*nothing listens there`));
  });
});
