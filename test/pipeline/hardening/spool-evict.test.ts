// A spool full of Notice alerts for an output that is down, then Critical ones: the spool evicts the
// newest Notice alerts to make room, and the output's queue lets go of exactly those, wherever they
// wait (most past the queue's hot depth, held in column blocks). When the destination comes back,
// every other alert arrives once and no evicted one does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { retry } from '../../../src/dispatch/result.ts';
import { scriptedOutput } from '../../support/console.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Notice alerts in batches of 200 until the spool refuses one (~2,000 held in 1 MiB): their uuids. */
async function fillWithNotices(app: RunningApp): Promise<string[]> {
  const notices: string[] = [];
  for (let n = 0; n < 20; n++) {
    const batch = Array.from({ length: 200 }, (_, i) => JSON.parse(falcoAlertJson(n * 200 + i)) as { uuid: string });
    const res = await app.post(JSON.stringify(batch), { 'content-type': 'application/json' });
    notices.push(...batch.slice(0, (JSON.parse(res.body) as { accepted: number }).accepted).map((a) => a.uuid));
    if (res.status !== 200) break;
  }
  return notices;
}

describe('spool evictions', () => {
  it('take the evicted alerts out of the queue: the rest are delivered once, the evicted never', async () => {
    const receiver = await new Receiver().start();
    cleanup.push(() => receiver.stop());
    let up = false;
    receiver.setBehaviour(() => (up ? { kind: 'ok' } : { kind: 'status', status: 503 }));
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-evict-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    // A deadline a loaded machine meets: an answer later than timeoutms is retried, and the alert
    // arrives twice (at least once); with 500 ms, CI on a busy machine saw 436 of 2,378 twice.
    const app: RunningApp = await startApp(`spool:\n  enabled: true\n  dir: ${dir}/spool\n  maxbytes: 1048576\nwebhook:\n  address: ${receiver.url()}\n  timeoutms: 5000\n`);
    cleanup.push(async () => void (await app.stop().catch(() => {})));

    // Most of them past the queue's hot depth.
    const notices = await fillWithNotices(app);
    expect(notices.length).toBeGreaterThan(1100);

    // Critical alerts make room by evicting the newest Notice ones.
    const criticals = Array.from({ length: 300 }, (_, i) => JSON.parse(falcoAlertJson(10_000 + i, 'Critical')) as { uuid: string });
    const res = await app.post(JSON.stringify(criticals), { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    const evicted = await metricValue(app, 'peregrine_dropped_total', { reason: 'spool_full' });
    expect(evicted).toBeGreaterThanOrEqual(300);
    const health = app.workers.find((w) => w.name === 'webhook')?.healthSnapshot();
    expect((health?.queued ?? 0) + (health?.inflight ?? 0)).toBe(notices.length + criticals.length - evicted);

    up = true;
    const expected = notices.length + criticals.length - evicted;
    await waitFor(async () => (await metricValue(app, 'peregrine_delivered_total')) >= expected, 30_000, 'the backlog delivered');
    const got = receiver.acceptedJson<{ uuid: string }>().map((a) => a.uuid);
    expect(new Set(got).size).toBe(got.length);
    // The kept Notice alerts are the oldest ones; every Critical arrived.
    expect(got.filter((u) => u.startsWith('alert-') && Number(u.slice(6)) < 10_000).sort()).toEqual(notices.slice(0, notices.length - evicted).sort());
    expect(got.filter((u) => Number(u.slice(6)) >= 10_000).sort()).toEqual(criticals.map((a) => a.uuid).sort());
    expect(await metricValue(app, 'peregrine_delivered_total')).toBe(expected);
  });

  it('reach an output a reload is retiring: what it evicts from that queue is counted once and never delivered', async () => {
    const receiver = await new Receiver().start();
    cleanup.push(() => receiver.stop());
    let up = false;
    receiver.setBehaviour(() => (up ? { kind: 'ok' } : { kind: 'hang' }));
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-evict-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = (timeout: number) => `spool:\n  enabled: true\n  dir: ${dir}/spool\n  maxbytes: 1048576\nwebhook:\n  address: ${receiver.url()}\n  maxconcurrency: 1\n  timeoutms: ${timeout}\n`;
    const app: RunningApp = await startApp(config(3000));
    cleanup.push(async () => void (await app.stop().catch(() => {})));
    const notices = await fillWithNotices(app);
    await waitFor(() => (app.workers[0]?.healthSnapshot().inflight ?? 0) > 0, 5000, 'a request in flight');
    // The reload retires the output; its queue waits for the request in flight (up to 3 s).
    app.rewrite(config(2000));
    expect(await app.reloader.reload('api')).toMatchObject({ ok: true, outputs: { changed: ['webhook'] } });
    expect(app.reloader.retiring.size).toBe(1);
    const criticals = Array.from({ length: 300 }, (_, i) => JSON.parse(falcoAlertJson(10_000 + i, 'Critical')) as { uuid: string });
    expect((await app.post(JSON.stringify(criticals), { 'content-type': 'application/json' })).status).toBe(200);
    expect(app.reloader.retiring.size).toBe(1); // the evictions came while the handover waited
    const evicted = await metricValue(app, 'peregrine_dropped_total', { reason: 'spool_full' });
    expect(evicted).toBeGreaterThanOrEqual(300);

    up = true;
    const expected = notices.length + criticals.length - evicted;
    await waitFor(async () => (await metricValue(app, 'peregrine_delivered_total')) >= expected, 30_000, 'the backlog delivered');
    const got = receiver.acceptedJson<{ uuid: string }>().map((a) => a.uuid);
    expect(new Set(got).size).toBe(got.length);
    expect(got.filter((u) => Number(u.slice(6)) >= 10_000).sort()).toEqual(criticals.map((a) => a.uuid).sort());
    expect(await metricValue(app, 'peregrine_delivered_total')).toBe(expected);
    expect(await metricValue(app, 'peregrine_dropped_total', { reason: 'spool_read' })).toBe(0);
  });

  it('reach the queue a retiring output hands over while its client closes slowly: counted once', async () => {
    const scripted = scriptedOutput('slowclose');
    // The retiring client's close() hangs until the end of the test; the successor's does not.
    let release = () => {};
    let closes = 0;
    scripted.plugin.close = () => (closes++ === 0 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve());
    cleanup.push(() => release());
    let up = false;
    scripted.decide(() => (up ? { kind: 'ok' } : retry('down')));
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-evict-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = (backoff: number) =>
      `spool:\n  enabled: true\n  dir: ${dir}/spool\n  maxbytes: 1048576\nslowclose:\n  enabled: true\n  retry:\n    initialbackoffms: 10\n    maxbackoffms: ${backoff}\n    probems: 0\n`;
    const app: RunningApp = await startApp(config(20), { extraPlugins: [scripted.plugin] });
    cleanup.push(async () => void (await app.stop().catch(() => {})));
    const notices = await fillWithNotices(app);
    app.rewrite(config(30));
    expect(await app.reloader.reload('api')).toMatchObject({ ok: true, outputs: { changed: ['slowclose'] } });
    await waitFor(() => app.reloader.retiring.size === 0, 5000, 'the queue handed over while the old client still closes');
    const criticals = Array.from({ length: 300 }, (_, i) => JSON.parse(falcoAlertJson(10_000 + i, 'Critical')) as { uuid: string });
    expect((await app.post(JSON.stringify(criticals), { 'content-type': 'application/json' })).status).toBe(200);
    const evicted = await metricValue(app, 'peregrine_dropped_total', { reason: 'spool_full' });
    expect(evicted).toBeGreaterThanOrEqual(300);
    up = true;
    const expected = notices.length + criticals.length - evicted;
    await waitFor(async () => (await metricValue(app, 'peregrine_delivered_total')) >= expected, 30_000, 'the backlog delivered');
    expect(await metricValue(app, 'peregrine_delivered_total')).toBe(expected);
    expect(await metricValue(app, 'peregrine_dropped_total', { reason: 'spool_read' })).toBe(0);
  });
});
