// Cluster-wide dedupe through a real redis-server: two Peregrine apps share it, alerts spread over
// both (concurrently), and the pager gets one page and one summary carrying the count of both.
// Redis unreachable: fail open (every alert delivered, counted as store errors).
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import type { Target } from '../../../src/noise/noise.ts';
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

/** The pager's config; `extra` goes at the end of its dedupe section (6 spaces) or of the output (4 spaces). */
const pagerYaml = (address: string, prefix: string, extra = '') =>
  `outputs:\n  pager:\n    type: webhook\n    address: ${pager?.url()}\n    dedupe:\n      windowms: ${WINDOW}\n      keys: [rule]\n      store: redis\n      redis:\n        address: ${address}\n        keyprefix: "${prefix}"\n        timeoutms: 500\n${extra}`;

async function replica(address: string, prefix: string, clock: FakeClock, extra = ''): Promise<RunningApp> {
  const app = await startApp(pagerYaml(address, prefix, extra), { clock });
  apps.push(app);
  return app;
}

const connected = (app: RunningApp) => waitFor(() => app.noise.health('pager')?.connected === true, 10_000, 'connected to Redis');
const ofRule = (i: number, rule: string) => falcoAlertJson(i).replace('"rule":"Terminal shell in container"', `"rule":"${rule}"`);
const idle = (app: RunningApp) => Promise.all(app.workers.map((w) => w.idle()));

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

  it('owns at most dedupe.maxkeys windows: past it the oldest is evicted, counted, its summary sent early and its lead released', async () => {
    const redis = await useInfra<RedisInfra>('redis');
    pager = await new Receiver().start();
    const clock = new FakeClock();
    const app = await replica(redis.address, `it-${randomBytes(4).toString('hex')}:`, clock, '      maxkeys: 3\n');
    await connected(app);
    await app.post(ofRule(0, 'rule-0'));
    await app.post(ofRule(1, 'rule-0'));
    await clock.advance(30_000);
    for (let i = 1; i <= 4; i++) await app.post(ofRule(10 + i, `rule-${i}`));
    await waitFor(() => pager?.received.length === 6);
    await idle(app);
    expect(app.noise.health('pager')).toMatchObject({ activeKeys: 3, evicted: 2 });
    expect(await metricValue(app, 'peregrine_dedupe_evicted_total', { output: 'pager' })).toBe(2);
    const summaries = pager.acceptedJson<Alert>().filter((a) => a.output_fields['peregrine.summary'] === true);
    expect(summaries.map((a) => [a.rule, a.output_fields['peregrine.count'], a.time])).toEqual([['rule-0', 2, '2026-11-20T10:00:30.000Z']]);
    // rule-0's window ended with its eviction: its next alert pages.
    await app.post(ofRule(20, 'rule-0'));
    await waitFor(() => pager?.received.length === 7);
  });

  it('owns at most dedupe.maxbytes of first alerts: past it the oldest window is evicted, as past maxkeys', async () => {
    const redis = await useInfra<RedisInfra>('redis');
    pager = await new Receiver().start();
    const clock = new FakeClock();
    const app = await replica(redis.address, `it-${randomBytes(4).toString('hex')}:`, clock, '      maxbytes: 1048576\n');
    await connected(app);
    const big = (i: number, rule: string) => ofRule(i, rule).replace('"sh -c id"', `"${'p'.repeat(300_000)}"`);
    for (let i = 0; i < 5; i++) await app.post(big(i, `rule-${i}`));
    await waitFor(() => pager?.received.length === 5);
    await idle(app);
    // Three ~300 KB alerts fit in 1 MiB.
    expect(app.noise.health('pager')).toMatchObject({ activeKeys: 3, evicted: 2 });
    await app.post(big(10, 'rule-0')); // evicted: it pages again
    await app.post(big(11, 'rule-4')); // still held
    await waitFor(() => pager?.received.length === 6);
    await idle(app);
    expect(pager.acceptedJson<Alert>().map((a) => a.rule)).toEqual(['rule-0', 'rule-1', 'rule-2', 'rule-3', 'rule-4', 'rule-0']);
  });

  it('a reload that changes the output\'s noise settings sends the summaries of its windows and releases their leads', async () => {
    const redis = await useInfra<RedisInfra>('redis');
    pager = await new Receiver().start();
    const clock = new FakeClock();
    const prefix = `it-${randomBytes(4).toString('hex')}:`;
    const app = await replica(redis.address, prefix, clock);
    await connected(app);
    for (let i = 0; i < 3; i++) await app.post(falcoAlertJson(i));
    await waitFor(() => pager?.received.length === 1);
    app.rewrite(pagerYaml(redis.address, prefix, '    ratelimit:\n      max: 50\n'));
    expect((await app.reloader.reload('api')).ok).toBe(true);
    await waitFor(() => pager?.received.length === 2);
    const summary = pager.acceptedJson<Alert>()[1] as Alert;
    expect(summary.output_fields).toMatchObject({ 'peregrine.summary': true, 'peregrine.count': 3, 'peregrine.suppressed': 2 });
    // The new settings' store wins the key: its next alert pages (the old lead does not hold it back).
    await connected(app);
    await app.post(falcoAlertJson(3));
    await waitFor(() => pager?.received.length === 3);
    await idle(app);
    expect(await metricValue(app, 'peregrine_suppressed_total', { output: 'pager', reason: 'dedupe' })).toBe(2);
  });

  it('refund gives back the window an alert won and its rate-limit token; a window others counted into stays, one less', async () => {
    const redis = await useInfra<RedisInfra>('redis');
    pager = await new Receiver().start();
    const clock = new FakeClock();
    const prefix = `it-${randomBytes(4).toString('hex')}:`;
    const a = await replica(redis.address, prefix, clock, '    ratelimit:\n      max: 1\n');
    const b = await replica(redis.address, prefix, clock, '    ratelimit:\n      max: 1\n');
    await connected(a);
    await connected(b);
    const targets: Target[] = [{ name: 'pager' }];
    const alert = (i: number, rule: string) => freezeAlert(toAlert(parseJson(ofRule(i, rule)) as AlertInput, () => `refund-${i}`));
    const admit = async (app: RunningApp, x: Alert) => (await app.noise.admit(targets, x)).map((t) => t.name);

    const refused = alert(0, 'alone');
    expect(await admit(a, refused)).toEqual(['pager']);
    a.noise.refund(targets, refused);
    await waitFor(() => a.noise.outputs.get('pager')?.activeKeys === 0, 5000, 'the refunded window gone');
    // The key's window and its token are free again: the next alert (on either replica) goes out, not rate-limited.
    expect(await admit(b, alert(1, 'alone'))).toEqual(['pager']);

    const first = alert(2, 'shared');
    expect(await admit(a, first)).toEqual(['pager']);
    expect(await admit(b, alert(3, 'shared'))).toEqual([]);
    a.noise.refund(targets, first);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(a.noise.outputs.get('pager')?.activeKeys).toBe(1);
    await clock.advance(WINDOW);
    await waitFor(() => (pager?.received.length ?? 0) >= 1);
    await Promise.all([...a.workers, ...b.workers].map((w) => w.idle()));
    const summaries = pager.acceptedJson<Alert>().filter((x) => x.rule === 'shared');
    expect(summaries.map((x) => [x.output_fields['peregrine.count'], x.output_fields['peregrine.suppressed']])).toEqual([[1, 1]]);
    expect((await metricValue(a, 'peregrine_dedupe_store_errors_total')) + (await metricValue(b, 'peregrine_dedupe_store_errors_total'))).toBe(0);
  });
});
