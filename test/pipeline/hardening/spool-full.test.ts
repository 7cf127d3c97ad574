// A spool full of alerts as high as the new one (its output down): the alert is refused with the
// documented 507 and ERR_SPOOL_FULL, one alert or in a batch, and every alert acknowledged before
// stays held.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { Receiver } from '../../support/receiver.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('spool full', () => {
  it('refuses a new alert no higher than those held with 507 ERR_SPOOL_FULL, alone or in a batch', async () => {
    const receiver = await new Receiver().start();
    const port = receiver.port;
    await receiver.stop(); // the destination is down: every acknowledged alert stays in the spool
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-full-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const app: RunningApp = await startApp(
      `spool:\n  enabled: true\n  dir: ${dir}/spool\n  maxbytes: 1048576\nwebhook:\n  address: http://127.0.0.1:${port}/\n  timeoutms: 200\n`,
    );
    // No drain: the destination is down, and a drain would only wait its 2 s for it.
    cleanup.push(async () => void (await app.close().catch(() => {})));

    // ~0.5 KB alerts in batches of 200 until one is refused: the spool holds 1 MiB.
    let acknowledged = 0;
    for (let n = 0; n < 20; n++) {
      const batch = Array.from({ length: 200 }, (_, i) => JSON.parse(falcoAlertJson(n * 200 + i)) as unknown);
      const res = await app.post(JSON.stringify(batch), { 'content-type': 'application/json' });
      acknowledged += (JSON.parse(res.body) as { accepted: number }).accepted;
      if (res.status !== 200) break;
    }
    expect(acknowledged).toBeGreaterThan(1000);

    const one = await app.post(falcoAlertJson(9999), { 'content-type': 'application/json' });
    expect(one.status).toBe(507);
    const body = JSON.parse(one.body) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('ERR_SPOOL_FULL');
    expect(body.error.message).toMatch(/spool\.maxbytes/);

    const batch = await app.post(JSON.stringify([JSON.parse(falcoAlertJson(10_000)), JSON.parse(falcoAlertJson(10_001))]), { 'content-type': 'application/json' });
    // Every alert refused alike: the batch takes that refusal's status and code (a sender that retries a 5xx does).
    expect(batch.status).toBe(507);
    expect(JSON.parse(batch.body)).toMatchObject({ error: { code: 'ERR_SPOOL_FULL' }, accepted: 0, rejected: [{ index: 0, code: 'ERR_SPOOL_FULL' }, { index: 1, code: 'ERR_SPOOL_FULL' }] });

    // What was acknowledged is held, within the bound.
    const held = await metricValue(app, 'peregrine_spool_bytes');
    expect(held).toBeGreaterThan(1048576 - 2048);
    expect(held).toBeLessThanOrEqual(1048576);
  });

  it('an alert the full spool refused opens no dedupe window: the next of its kind goes out', async () => {
    const receiver = await new Receiver().start();
    receiver.setBehaviour(() => ({ kind: 'hang' })); // every acknowledged alert stays in the spool
    cleanup.push(() => receiver.stop());
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-full-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const app: RunningApp = await startApp(
      `spool:\n  enabled: true\n  dir: ${dir}/spool\n  maxbytes: 1048576\nwebhook:\n  address: ${receiver.url()}\n  dedupe:\n    windowms: 600000\n    keys: [rule]\n`,
    );
    // No drain: the destination hangs, and a drain would only wait its 2 s for it.
    cleanup.push(async () => void (await app.close().catch(() => {})));
    const alert = (i: number, priority: 'Emergency' | 'Debug', rule: string, padding: number) =>
      falcoAlertJson(i, priority).replace('"rule":"Terminal shell in container"', `"rule":"${rule}"`).replace('"sh -c id"', `"${'y'.repeat(padding)}"`);
    // ~1 MiB of Emergency alerts, each of its own rule, leave room for a small alert but not a large one.
    for (let i = 0; i < 10; i++) expect((await app.post(alert(i, 'Emergency', `fill ${i}`, 100_000))).status).toBe(200);

    const refused = await app.post(alert(100, 'Debug', 'R', 60_000));
    expect(refused.status).toBe(507);
    const next = await app.post(alert(101, 'Debug', 'R', 10));
    expect(next.status).toBe(200);
    expect(await metricValue(app, 'peregrine_suppressed_total', { output: 'webhook', reason: 'dedupe' })).toBe(0);
    const health = (await app.server.inject({ url: '/healthz' })).json() as { outputs: { webhook: { queued: number; inflight: number } } };
    expect(health.outputs.webhook.queued + health.outputs.webhook.inflight).toBe(11);
  });
});
