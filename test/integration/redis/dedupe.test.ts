// Cluster-wide dedupe through a real redis-server: two Peregrine apps share it, alerts spread over
// both (concurrently), and the pager gets one page and one summary carrying the count of both.
// Redis unreachable: fail open (every alert delivered, counted as store errors).
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alert/alert.ts';
import { useInfra } from '../../infra/state.ts';
import type { RedisInfra } from '../../infra/redis/state.ts';
import { falcoAlertJson } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';

const WINDOW = 600_000;
const apps: RunningApp[] = [];
let pager: Receiver | undefined;
afterEach(async () => {
  for (const a of apps.splice(0)) await a.stop();
  await pager?.stop();
  pager = undefined;
});

async function replica(address: string, prefix: string, clock: FakeClock, extra = ''): Promise<RunningApp> {
  const app = await startApp(
    `outputs:\n  pager:\n    type: webhook\n    address: ${pager?.url()}\n    dedupe:\n      windowms: ${WINDOW}\n      keys: [rule]\n      store: redis\n      redis:\n        address: ${address}\n        keyprefix: "${prefix}"\n        timeoutms: 500\n${extra}`,
    { clock },
  );
  apps.push(app);
  return app;
}

const onHost = (i: number, host: string) => falcoAlertJson(i).replace('"hostname":"node-1"', `"hostname":"${host}"`);

describe('dedupe through Redis (two replicas)', () => {
  it('one page and one summary for alerts spread across both replicas', async () => {
    const redis = await useInfra<RedisInfra>('redis');
    pager = await new Receiver().start();
    const clock = new FakeClock();
    const prefix = `it-${randomBytes(4).toString('hex')}:`;
    const a = await replica(redis.address, prefix, clock);
    const b = await replica(redis.address, prefix, clock);
    // Wait until both are connected (an unconnected replica fails open, which would page twice).
    await waitFor(() => [a, b].every((app) => app.noise.health('pager')?.connected === true), 10_000, 'both replicas connected to Redis');

    const n = 40;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => (i % 2 ? a : b).post(onHost(i, `node-${(i % 4) + 1}`))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    await Promise.all([...a.workers, ...b.workers].map((w) => w.idle()));
    await waitFor(() => pager?.received.length === 1);
    const suppressed = (await metricValue(a, 'peregrine_suppressed_total', { reason: 'dedupe' })) + (await metricValue(b, 'peregrine_suppressed_total', { reason: 'dedupe' }));
    expect(suppressed).toBe(n - 1);
    expect((await metricValue(a, 'peregrine_dedupe_store_errors_total')) + (await metricValue(b, 'peregrine_dedupe_store_errors_total'))).toBe(0);
    const owners = [a, b].filter((app) => app.noise.outputs.get('pager')?.activeKeys === 1);
    expect(owners).toHaveLength(1);

    await clock.advance(WINDOW);
    await waitFor(() => pager?.received.length === 2);
    await Promise.all([...a.workers, ...b.workers].map((w) => w.idle()));
    const [first, summary] = pager.acceptedJson<Alert>() as [Alert, Alert];
    expect(first.output_fields['peregrine.summary']).toBeUndefined();
    expect(summary.rule).toBe('Terminal shell in container');
    expect(summary.output_fields).toMatchObject({
      'peregrine.count': n,
      'peregrine.suppressed': n - 1,
      'peregrine.sample.hostname': ['node-1', 'node-2', 'node-3', 'node-4'],
    });
    expect((await metricValue(a, 'peregrine_dedupe_summaries_total')) + (await metricValue(b, 'peregrine_dedupe_summaries_total'))).toBe(1);

    // The window is over cluster-wide: the next alert, on either replica, pages again.
    await b.post(onHost(100, 'node-1'));
    await a.post(onHost(101, 'node-1'));
    await Promise.all([...a.workers, ...b.workers].map((w) => w.idle()));
    await waitFor(() => pager?.received.length === 3);
    expect(pager.received).toHaveLength(3);
  });

  it('fails open when Redis is unreachable: every alert is delivered and counted as a store error', async () => {
    pager = await new Receiver().start();
    const closed = await new Receiver().start();
    const deadAddress = `127.0.0.1:${closed.port}`;
    await closed.stop();
    const app = await replica(deadAddress, 'dead:', new FakeClock());
    for (let i = 0; i < 5; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
    await waitFor(() => pager?.received.length === 5);
    expect(await metricValue(app, 'peregrine_dedupe_store_errors_total', { output: 'pager' })).toBe(5);
    expect(await metricValue(app, 'peregrine_suppressed_total', { output: 'pager' })).toBe(0);
    expect((await app.server.inject({ url: '/healthz' })).json().outputs.pager.noise).toMatchObject({ store: 'redis', connected: false, storeErrors: 5 });
  });
});
