// Dedupe across restarts with the spool on (fake clock): nothing already paged pages again, an open
// window keeps counting, a summary due while the daemon was down goes out once at the next start,
// and suppressed alerts leave no pending delivery in the spool.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { falcoAlertJson } from '../support/alerts.ts';
import { startApp, type RunningApp } from '../support/app.ts';
import { ADMIN } from '../support/console.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

const WINDOW = 600_000;
const apps: RunningApp[] = [];
let receiver: Receiver | undefined;
afterEach(async () => {
  for (const a of apps.splice(0)) await a.stop().catch(() => {});
  await receiver?.stop();
  receiver = undefined;
});

async function start(dir: string, clock: FakeClock, extra = ''): Promise<RunningApp> {
  return startWith(dir, clock, `webhook:\n  address: ${receiver?.url()}\n  dedupe:\n    windowms: ${WINDOW}\n  ratelimit:\n    max: 2\n    perms: 3600000\n${extra}`);
}

/** The spool and the console (for its token: the silences API is never open) plus `outputs`, the outputs' YAML. */
async function startWith(dir: string, clock: FakeClock, outputs: string): Promise<RunningApp> {
  const app = await startApp(`spool:\n  enabled: true\n  dir: ${dir}\nconsole:\n  enabled: true\n  token: ${ADMIN}\n${outputs}`, { clock });
  apps.push(app);
  return app;
}

/** Rows of a noise table in a stopped app's spool. */
function rows(dir: string, table: 'noise_windows' | 'noise_rates'): number {
  const db = new DatabaseSync(join(dir, 'peregrine.db'), { readOnly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const onHost = (i: number, host: string) => falcoAlertJson(i).replace('"hostname":"node-1"', `"hostname":"${host}"`);

async function stop(app: RunningApp): Promise<void> {
  await app.stop();
  apps.splice(apps.indexOf(app), 1);
}

const idle = (app: RunningApp) => Promise.all(app.workers.map((w) => w.idle()));

/** One more restart, a window later: nothing is left in the spool to send again. */
async function expectNothingMore(dir: string, clock: FakeClock, received: number): Promise<void> {
  const again = await start(dir, clock);
  await clock.advance(WINDOW);
  await idle(again);
  expect(receiver?.received).toHaveLength(received);
}

describe('dedupe with the spool on', () => {
  it('does not page again after a restart inside the window, and sends the summary once at its end', async () => {
    receiver = await new Receiver().start();
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-noise-'));
    const clock = new FakeClock();
    const first = await start(dir, clock);
    for (let i = 0; i < 3; i++) expect((await first.post(falcoAlertJson(i))).status).toBe(200);
    await waitFor(() => receiver?.received.length === 1);
    await idle(first);
    // Held-back alerts left no delivery behind: the spool's backlog is empty.
    expect(first.spool?.backlog()).toEqual({});
    await stop(first);

    await clock.advance(60_000);
    const second = await start(dir, clock);
    expect((await second.post(falcoAlertJson(3, 'Error'))).status).toBe(200);
    await idle(second);
    expect(receiver.received).toHaveLength(1);
    expect((await second.server.inject({ url: '/healthz' })).json().outputs.webhook.noise).toMatchObject({ activeKeys: 1, suppressed: { dedupe: 1 } });

    await clock.advance(WINDOW - 60_000);
    await waitFor(() => receiver?.received.length === 2);
    const summary = receiver.acceptedJson<Alert>()[1] as Alert;
    expect(summary.output_fields).toMatchObject({ 'peregrine.count': 4, 'peregrine.suppressed': 3 });
    expect(summary.priority).toBe('Error');
    await idle(second);
    await stop(second);
    await expectNothingMore(dir, clock, 2);
  });

  it('sends a summary that fell due while the daemon was down once, at the next start, with the same uuid', async () => {
    receiver = await new Receiver().start();
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-noise-'));
    const clock = new FakeClock();
    const first = await start(dir, clock);
    for (let i = 0; i < 5; i++) await first.post(falcoAlertJson(i));
    await waitFor(() => receiver?.received.length === 1);
    await idle(first);
    await stop(first);

    await clock.advance(WINDOW + 5_000);
    const second = await start(dir, clock);
    await waitFor(() => receiver?.received.length === 2);
    await idle(second);
    const summary = receiver.acceptedJson<Alert>()[1] as Alert;
    expect(summary.output_fields).toMatchObject({ 'peregrine.count': 5, 'peregrine.suppressed': 4, 'peregrine.window_end': '2026-11-20T10:10:00.000Z' });
    expect(receiver.received[1]?.headers['idempotency-key']).toBe(summary.uuid);
    await stop(second);
    await expectNothingMore(dir, clock, 2);
  });

  it('keeps the rate limit and run-time silences across a restart', async () => {
    receiver = await new Receiver().start();
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-noise-'));
    const clock = new FakeClock();
    const first = await start(dir, clock);
    const added = await first.server.inject({ method: 'POST', url: '/api/v1/silences', headers: { authorization: `Bearer ${ADMIN}` }, payload: { match: { hostname: 'node-9' }, for: '2h', reason: 'reboot' } });
    expect(added.statusCode).toBe(201);
    // Two windows pass: the two leading edges use up ratelimit.max.
    for (let w = 0; w < 2; w++) {
      await first.post(falcoAlertJson(w));
      await clock.advance(WINDOW);
    }
    await waitFor(() => receiver?.received.length === 2);
    await idle(first);
    await stop(first);

    const second = await start(dir, clock);
    await second.post(falcoAlertJson(10));
    await second.post(falcoAlertJson(11).replace('"hostname":"node-1"', '"hostname":"node-9"'));
    await idle(second);
    expect(receiver.received).toHaveLength(2);
    const health = (await second.server.inject({ url: '/healthz' })).json().outputs.webhook.noise;
    expect(health).toMatchObject({ suppressed: { ratelimit: 1, silence: 1 } });
    expect((await second.server.inject({ url: '/api/v1/silences', headers: { authorization: `Bearer ${ADMIN}` } })).json().silences).toMatchObject([{ reason: 'reboot', origin: 'api' }]);
  });

  it('sends the summary of a restored window whose output no longer dedupes in memory, at start, dated then; a renamed output\'s rows go', async () => {
    receiver = await new Receiver().start();
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-noise-'));
    const clock = new FakeClock();
    const first = await start(dir, clock);
    for (let i = 0; i < 3; i++) await first.post(falcoAlertJson(i));
    await waitFor(() => receiver?.received.length === 1);
    await idle(first);
    await stop(first);

    // Restarted with the rate limit only: the open window ends now, in its summary (as a hot reload does).
    await clock.advance(60_000);
    const rateOnly = `webhook:\n  address: ${receiver.url()}\n  ratelimit:\n    max: 5\n`;
    const second = await startWith(dir, clock, rateOnly);
    await waitFor(() => receiver?.received.length === 2);
    await idle(second);
    const summary = receiver.acceptedJson<Alert>()[1] as Alert;
    expect(summary.output_fields).toMatchObject({ 'peregrine.summary': true, 'peregrine.count': 3, 'peregrine.suppressed': 2, 'peregrine.window_end': '2026-11-20T10:01:00.000Z' });
    expect(summary.time).toBe('2026-11-20T10:01:00.000Z');
    await stop(second);
    expect(rows(dir, 'noise_windows')).toBe(0);
    const third = await startWith(dir, clock, rateOnly);
    await clock.advance(WINDOW);
    await idle(third);
    expect(receiver.received).toHaveLength(2);
    await stop(third);

    // A window of an output that is gone (renamed): no summary (nowhere to send it), and its row goes.
    const fourth = await start(dir, clock);
    for (let i = 10; i < 13; i++) await fourth.post(falcoAlertJson(i));
    await waitFor(() => receiver?.received.length === 3);
    await idle(fourth);
    await stop(fourth);
    const renamed = await startWith(dir, clock, `outputs:\n  pager:\n    type: webhook\n    address: ${receiver.url()}\n`);
    await idle(renamed);
    await stop(renamed);
    expect(receiver.received).toHaveLength(3);
    expect(rows(dir, 'noise_windows')).toBe(0);
  });

  it('deletes the rate-limit rows of ended periods and of outputs that are gone at restore', async () => {
    receiver = await new Receiver().start();
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-noise-'));
    const clock = new FakeClock();
    const first = await start(dir, clock);
    for (let i = 0; i < 3; i++) await first.post(onHost(i, `node-${i}`));
    await idle(first);
    await stop(first);
    expect(rows(dir, 'noise_rates')).toBe(3);

    // Within the period, the output renamed: its rows go.
    const renamed = await startWith(dir, clock, `outputs:\n  pager:\n    type: webhook\n    address: ${receiver.url()}\n    ratelimit:\n      max: 2\n`);
    await stop(renamed);
    expect(rows(dir, 'noise_rates')).toBe(0);

    // The period over: its rows go.
    const again = await start(dir, clock);
    for (let i = 0; i < 2; i++) await again.post(onHost(i, `node-${i}`));
    await idle(again);
    await stop(again);
    expect(rows(dir, 'noise_rates')).toBe(2);
    await clock.advance(3_600_000);
    await stop(await start(dir, clock));
    expect(rows(dir, 'noise_rates')).toBe(0);
  });
});
