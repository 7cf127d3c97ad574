// The spool evicts alerts whose request is in flight (the lowest priority, to make room for higher):
// each is counted once, by how its send ends. Delivered: delivered, not dropped. To be retried: its
// spool row is gone, so it is dropped (peregrine_dropped_total{reason="spool_full"}) instead of sent
// again, and /healthz counts it too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { scriptedOutput } from '../../support/console.ts';
import { waitFor } from '../../support/receiver.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('spool eviction of alerts in flight', () => {
  it.each([
    ['delivered', true],
    ['to be retried', false],
  ] as const)('counts each alert once when the send ends %s', async (_name, delivers) => {
    const scripted = scriptedOutput('scripted');
    let open: () => void = () => {};
    const gate = new Promise<void>((r) => (open = r));
    // The first request (the Debug alerts) hangs until the gate opens, then succeeds or fails; later ones succeed.
    scripted.decide(async (alert, attempt) => {
      if (alert.priority !== 'Debug' || attempt > 1) return { kind: 'ok' };
      await gate;
      return delivers ? { kind: 'ok' } : { kind: 'retry', reason: 'HTTP 503' };
    });
    cleanup.push(() => open());
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-evict-inflight-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const app: RunningApp = await startApp(
      `spool:\n  enabled: true\n  dir: ${dir}/spool\n  maxbytes: 1048576\nscripted:\n  enabled: true\n  maxconcurrency: 1\n  timeoutms: 60000\n  batch:\n    maxevents: 500\n    maxbytes: 100000000\n    flushms: 0\n  retry:\n    initialbackoffms: 10\n    maxbackoffms: 10\n`,
      { extraPlugins: [scripted.plugin] },
    );
    cleanup.push(async () => void (await app.close().catch(() => {})));
    let evicted = 0;
    const onEvict = app.spool?.onEvict.bind(app.spool);
    if (app.spool) app.spool.onEvict = (id, outputs, priority) => {
      evicted++;
      onEvict?.(id, outputs, priority);
    };

    // 200 Debug alerts, taken at once into one request that hangs.
    const debug = Array.from({ length: 200 }, (_, i) => falcoAlertJson(i, 'Debug'));
    expect((await app.post(`[${debug.join(',')}]`)).status).toBe(200);
    await waitFor(() => (app.workers[0]?.healthSnapshot().inflight ?? 0) === 200, 5000, 'the Debug batch in flight');
    // Notice alerts until the spool evicts some of the Debug ones to make room.
    let accepted = 200;
    for (let n = 1; n <= 30 && evicted < 50; n++) {
      const res = await app.post(`[${Array.from({ length: 100 }, (_, i) => falcoAlertJson(n * 1000 + i, 'Notice')).join(',')}]`);
      accepted += (JSON.parse(res.body) as { accepted: number }).accepted;
    }
    expect(evicted).toBeGreaterThan(0);
    open();
    const ended = async () => (await metricValue(app, 'peregrine_delivered_total')) + (await metricValue(app, 'peregrine_dropped_total'));
    await waitFor(async () => (await ended()) === accepted, 20_000, 'every accepted alert ended');
    const dropped = await metricValue(app, 'peregrine_dropped_total', { reason: 'spool_full' });
    expect(dropped).toBe(delivers ? 0 : evicted);
    expect(await metricValue(app, 'falcosecurity_falcosidekick_outputs_total', { destination: 'scripted', status: 'error' })).toBe(dropped);
    expect(app.workers[0]?.healthSnapshot()).toMatchObject({ dropped, queued: 0, inflight: 0 });
    // Nothing more: no alert ends twice.
    await new Promise((r) => setTimeout(r, 300));
    expect(await ended()).toBe(accepted);
  });
});
