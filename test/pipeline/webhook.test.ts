// Falco-shaped alerts posted to Peregrine reach a real HTTP receiver through the webhook output,
// through every fault the receiver can throw at it.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ok } from '../../src/dispatch/result.ts';
import type { Alert } from '../../src/alert/alert.ts';
import type { AnyOutputPlugin } from '../../src/plugin/types.ts';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { advanceWhenIdle, FakeClock } from '../support/fake-clock.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

let app: RunningApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  await receiver?.stop();
  app = receiver = undefined;
});

const fast = 'timeoutms: 300\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 200';

async function setup(extra = '', behaviour?: Receiver['setBehaviour'] extends (fn: infer F) => void ? F : never, clock?: FakeClock) {
  receiver = await new Receiver().start();
  if (behaviour) receiver.setBehaviour(behaviour);
  app = await startApp(`webhook:\n  address: ${receiver.url('/api/v1/events?src=falco')}\n  customheaders:\n    Authorization: Bearer t0ken\n    X-Source: falco\n  ${fast}\n${extra}`, clock ? { clock } : {});
  return { receiver, app };
}

/** Real sockets, fake clock: the app's timers (backoff, Retry-After, timeoutms) run on `clock`. */
async function setupOnFakeClock(behaviour?: Parameters<typeof setup>[1]) {
  const clock = new FakeClock();
  const running = await setup('', behaviour, clock);
  const worker = running.app.workers[0];
  if (!worker) throw new Error('no webhook worker');
  const settle = (done: () => boolean | Promise<boolean>, what: string) => advanceWhenIdle(clock, () => worker.healthSnapshot().inflight > 0, done, what);
  return { ...running, clock, worker, settle };
}

async function postMany(target: RunningApp, count: number, priority: Parameters<typeof falcoAlertJson>[1] = 'Notice') {
  for (let i = 0; i < count; i++) expect((await target.post(falcoAlertJson(i, priority))).status).toBe(200);
}

describe('webhook delivery', () => {
  it('delivers the exact enriched JSON with falcosidekick headers plus an Idempotency-Key', async () => {
    const { receiver: r, app: a } = await setup('customfields:\n  cluster: prod\n');
    expect((await a.post(falcoAlertJson(1))).status).toBe(200);
    await waitFor(() => r.received.length === 1);
    const got = r.received[0];
    expect(got?.method).toBe('POST');
    expect(got?.url).toBe('/api/v1/events?src=falco');
    expect(got?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': expect.stringMatching(/^peregrine\/\d+\.\d+\.\d+/),
      'idempotency-key': 'alert-1',
      authorization: 'Bearer t0ken',
      'x-source': 'falco',
    });
    expect(got?.body).toContain('"evt.time":1700000000167531876');
    const body = JSON.parse(got?.body ?? '{}') as Alert;
    expect(body).toMatchObject({ uuid: 'alert-1', rule: 'Terminal shell in container', priority: 'Notice', hostname: 'node-1' });
    expect(body.output_fields).toMatchObject({ cluster: 'prod', 'proc.aname[2]': null });
  });

  it('format: array posts each batch as one JSON array, the alerts exact and in order', async () => {
    const { receiver: r, app: a } = await setup('  format: array\n  batch:\n    maxevents: 50\n    flushms: 20\n');
    await postMany(a, 120);
    await waitFor(() => r.received.reduce((n, got) => n + (JSON.parse(got.body) as unknown[]).length, 0) === 120);
    const batches = r.received.map((got) => JSON.parse(got.body) as Alert[]);
    expect(batches.every((b) => b.length <= 50)).toBe(true);
    expect(r.received.length).toBeLessThan(120 / 2);
    expect(batches.flat().map((alert) => alert.uuid)).toEqual(Array.from({ length: 120 }, (_, i) => `alert-${i}`));
    expect(r.received[0]?.body).toContain('"evt.time":1700000000167531875');
  });

  it('format: array — a receiver that refuses a whole array for one alert gets the rest, and only that alert is dead-lettered', async () => {
    const { receiver: r, app: a } = await setup('  format: array\n  batch:\n    maxevents: 50\n    flushms: 20\n', (req) =>
      req.body.includes('"uuid":"alert-13"') ? { kind: 'status', status: 400, body: '{"error":"cannot parse event 13"}' } : { kind: 'ok' },
    );
    // One POST of 20, so that all twenty wait in the queue together and go as one array.
    expect((await a.post(`[${Array.from({ length: 20 }, (_, i) => falcoAlertJson(i)).join(',')}]`)).status).toBe(200);
    await waitFor(() => a.deadLetters.size() === 1 && r.received.length > 0 && a.workers[0]?.healthSnapshot().queued === 0);
    const delivered = r.received.flatMap((got) => (JSON.parse(got.body) as Alert[]).map((alert) => alert.uuid));
    expect(delivered.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `alert-${i}`).filter((u) => u !== 'alert-13').sort());
    expect(a.deadLetters.list().map((d) => [d.alert.uuid, d.reason, d.detail])).toEqual([['alert-13', 'rejected', 'HTTP 400: {"error":"cannot parse event 13"}']]);
    // 20 → 10 + 10 → 5 + 5 → 3 + 2 → 1 + 1: two requests a level, the halves sent at once (no flush
    // wait), not the 39 of sending each alert alone.
    expect(r.attempts).toBe(9);
    expect(await metricValue(a, 'peregrine_batch_splits_total', { output: 'webhook' })).toBe(4);
  });

  it('sizes batches by the alerts\' UTF-8 bytes, as destinations count them, not by UTF-16 units', async () => {
    // ~3,000 CJK characters: ~9 KB of UTF-8 each, ~3.4 K UTF-16 units of JSON.
    const { receiver: r, app: a } = await setup('  format: array\n  batch:\n    maxevents: 100\n    maxbytes: 20000\n    flushms: 20\n');
    // One POST of six, so that all six wait in the queue together whatever the machine's speed.
    const alerts = Array.from({ length: 6 }, (_, i) => ({ ...(JSON.parse(falcoAlertJson(i)) as object), output: '日本語のアラート'.repeat(375) }));
    expect((await a.post(JSON.stringify(alerts))).status).toBe(200);
    await waitFor(() => r.received.reduce((n, got) => n + (JSON.parse(got.body) as unknown[]).length, 0) === 6);
    // Two alerts (~19 KB) fit in 20,000 bytes, three do not. Counted in UTF-16 units (~3.6 K each),
    // five went together: a 48 KB body.
    expect(r.received.map((got) => (JSON.parse(got.body) as unknown[]).length)).toEqual([2, 2, 2]);
    for (const got of r.received) expect(Buffer.byteLength(got.body)).toBeLessThan(20_000 + 100);
  });

  it('keeps 128 requests in flight by default, never more: the rest wait in the queue', async () => {
    // A receiver that holds every request until the test lets them go, counting those it holds.
    const held: ServerResponse[] = [];
    let most = 0;
    let answered = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        held.push(res);
        most = Math.max(most, held.length);
      });
      res.on('finish', () => answered++);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      app = await startApp(`webhook:\n  address: http://127.0.0.1:${(server.address() as AddressInfo).port}/\n`);
      const worker = app.workers[0];
      await postMany(app, 140);
      await waitFor(() => held.length === 128 && worker?.healthSnapshot().inflight === 128, 5000, '128 requests held');
      expect(worker?.healthSnapshot().queued).toBe(12);
      while (answered < 140) {
        for (const res of held.splice(0)) res.end();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await waitFor(() => worker?.healthSnapshot().delivered === 140, 5000, '140 delivered');
      expect(most).toBe(128);
    } finally {
      await app?.close();
      app = undefined;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends PUT when asked', async () => {
    receiver = await new Receiver().start();
    app = await startApp(`webhook:\n  address: ${receiver.url()}\n  method: put\n`);
    await app.post(falcoAlertJson(1));
    await waitFor(() => receiver?.received.length === 1);
    expect(receiver.received[0]?.method).toBe('PUT');
  });

  it('honours minimumpriority: nothing below it reaches the output', async () => {
    receiver = await new Receiver().start();
    app = await startApp(`webhook:\n  address: ${receiver.url()}\n  minimumpriority: warning\n`);
    const priorities = ['Debug', 'Informational', 'Notice', 'Warning', 'Error', 'Critical', 'Alert', 'Emergency'] as const;
    for (const [i, p] of priorities.entries()) await app.post(falcoAlertJson(i, p));
    await waitFor(() => receiver?.received.length === 5);
    // Every post was answered, so whatever was queued is queued: once the worker is idle, nothing else comes.
    await app.workers[0]?.idle();
    expect(receiver.acceptedJson<Alert>().map((a) => a.priority).sort()).toEqual(['Alert', 'Critical', 'Emergency', 'Error', 'Warning']);
  });
});

describe('webhook faults: every alert is delivered once the receiver recovers', () => {
  it('429 with Retry-After', async () => {
    const { receiver: r, app: a, settle } = await setupOnFakeClock((_req, n) => (n < 2 ? { kind: 'status', status: 429, headers: { 'retry-after': '0.2' } } : { kind: 'ok' }));
    await postMany(a, 5);
    await settle(() => r.received.length === 5, '5 delivered');
    expect(r.attempts).toBe(7);
    expect(await metricValue(a, 'peregrine_retries_total', { reason: 'throttled' })).toBe(2);
  });

  it('429 with Retry-After as an HTTP date: the wait is measured on the app\'s clock', async () => {
    const at: number[] = [];
    let now = () => 0;
    const running = await setupOnFakeClock((_req, n) => {
      at.push(now());
      // Two seconds ahead of the fake clock (HTTP dates have whole seconds); the wait is capped at maxbackoffms (200).
      return n < 1 ? { kind: 'status', status: 429, headers: { 'retry-after': new Date(now() + 2000).toUTCString() } } : { kind: 'ok' };
    });
    now = () => running.clock.now();
    await postMany(running.app, 1);
    await running.settle(() => running.receiver.received.length === 1, 'delivered after the wait');
    expect(at).toHaveLength(2);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(200);
  });

  it('503 several times', async () => {
    const { receiver: r, app: a, settle } = await setupOnFakeClock((_req, n) => (n < 4 ? { kind: 'status', status: 503 } : { kind: 'ok' }));
    await postMany(a, 10);
    await settle(() => r.received.length === 10, '10 delivered');
    expect(new Set(r.acceptedJson<Alert>().map((x) => x.uuid)).size).toBe(10);
  });

  it('a receiver that hangs past timeoutms', async () => {
    const { receiver: r, app: a, clock, worker, settle } = await setupOnFakeClock((_req, n) => (n < 2 ? { kind: 'hang' } : { kind: 'ok' }));
    await postMany(a, 3);
    // The first two requests hang: once the receiver has each, its deadline (timeoutms 300) passes.
    for (const hung of [1, 2]) {
      await waitFor(() => r.attempts >= hung, 10_000, `hanging request ${hung}`);
      await clock.advance(300);
    }
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'webhook' })).toBeGreaterThanOrEqual(2);
    // The receiver records a request before the worker has read the answer: wait for it to settle.
    await settle(() => r.received.length === 3 && worker.healthSnapshot().state === 'ok', 'every alert delivered, state ok');
    expect(worker.healthSnapshot()).toMatchObject({ delivered: 3, queued: 0 });
  });

  it('connection resets', async () => {
    const { receiver: r, app: a, settle } = await setupOnFakeClock((_req, n) => (n % 3 === 0 ? { kind: 'reset' } : { kind: 'ok' }));
    await postMany(a, 12);
    await settle(() => new Set(r.acceptedJson<Alert>().map((x) => x.uuid)).size === 12, '12 delivered');
  });

  it('a receiver that is down for a while, then back on the same port', async () => {
    const { receiver: r, app: a, settle } = await setupOnFakeClock();
    const port = r.port;
    await r.stop();
    await postMany(a, 50);
    await settle(() => a.workers[0]?.healthSnapshot().state === 'failing', 'failing state');
    const health = await fetch(`${a.url}/healthz`).then((res) => res.json() as Promise<{ status: string; outputs: Record<string, { queued: number; lastError?: string }> }>);
    expect(health.status).toBe('degraded');
    expect(health.outputs.webhook?.queued).toBeGreaterThan(0);
    expect(health.outputs.webhook?.lastError).toMatch(/ECONNREFUSED/);
    await r.start(port);
    await settle(async () => r.received.length >= 50 && (await metricValue(a, 'falcosecurity_falcosidekick_outputs_total', { destination: 'webhook', status: 'ok' })) === 50, 'all 50 delivered and counted');
    expect(new Set(r.acceptedJson<Alert>().map((x) => x.uuid)).size).toBe(50);
    expect(r.received).toHaveLength(50);
    expect(await metricValue(a, 'peregrine_dead_lettered_total')).toBe(0);
  });

  it('a 400 is permanent: dead-lettered with the reason, never retried', async () => {
    const { receiver: r, app: a } = await setup('', () => ({ kind: 'status', status: 400, body: '{"error":"schema mismatch"}' }));
    await postMany(a, 2);
    await waitFor(() => a.deadLetters.size() === 2);
    expect(r.attempts).toBe(2);
    expect(a.deadLetters.list()[0]).toMatchObject({ output: 'webhook', reason: 'rejected', detail: expect.stringContaining('schema mismatch') });
  });
});

describe('isolation', () => {
  it('a stalled webhook slows neither ingest nor another output', async () => {
    const seen: Alert[] = [];
    const capture: AnyOutputPlugin = {
      name: 'capture',
      description: 'test output that records alerts',
      schema: z.object({ enabled: z.boolean().default(false).describe('on') }),
      example: { enabled: true },
      enabled: (o) => (o as { enabled: boolean }).enabled,
      batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 0 },
      sendBatch: async (alerts) => {
        seen.push(...alerts);
        return ok();
      },
    };
    receiver = await new Receiver().start();
    receiver.setBehaviour(() => ({ kind: 'hang' }));
    app = await startApp(`capture:\n  enabled: true\nwebhook:\n  address: ${receiver.url()}\n  timeoutms: 60000\n`, { extraPlugins: [capture] });
    const started = performance.now();
    await postMany(app, 300);
    const elapsed = performance.now() - started;
    await waitFor(() => seen.length === 300, 5000);
    // 300 sequential requests; a blocked ingest path would take the webhook's 60 s deadline.
    expect(elapsed).toBeLessThan(10_000);
    // The webhook holds its 128 requests in flight; the rest wait in its queue.
    const webhook = app.workers.find((w) => w.name === 'webhook');
    await waitFor(() => webhook?.healthSnapshot().inflight === 128, 5000, '128 requests in flight');
    expect(webhook?.healthSnapshot().queued).toBe(300 - 128);
  });
});
