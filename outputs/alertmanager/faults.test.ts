// The alertmanager output inside the real app against two in-process hostports that answer what the
// test says: how a batch sent to every hostport is classified when some of them fail. Real sockets,
// fake clock: backoff and Retry-After run on a FakeClock the tests advance.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { Receiver, type Behaviour, type Received } from '../../test/support/receiver.ts';
import type { PostableAlert } from './payload.ts';

let app: RunningApp | undefined;
const hosts: Receiver[] = [];
let clock = new FakeClock();
/** Waits for `done`, moving the clock while no request is in flight. */
let settle: ReturnType<typeof settler>;
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  for (const h of hosts.splice(0)) await h.stop();
  app = undefined;
});

/** A hostport: /-/ready answers 200; alert POSTs as `posts` says (n counts POSTs only), recorded with the fake clock's time. */
async function hostport(posts: (n: number, req: Received) => Behaviour): Promise<{ r: Receiver; seen: (Received & { clockAt: number })[] }> {
  const r = await new Receiver().start();
  const seen: (Received & { clockAt: number })[] = [];
  r.setBehaviour((req) => {
    if (req.method !== 'POST') return { kind: 'ok', body: 'OK' };
    seen.push({ ...req, clockAt: clock.now() });
    return posts(seen.length - 1, req);
  });
  hosts.push(r);
  return { r, seen };
}

async function run(urls: string[], extra = ''): Promise<RunningApp> {
  clock = new FakeClock();
  app = await startApp(
    `alertmanager:\n  hostport: "${urls.join(',')}"\n  timeoutms: 10000\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 200\n  batch:\n    maxevents: 3\n    flushms: 5000\n${extra}`,
    { healthIntervalMs: 100, clock },
  );
  settle = settler(clock, app);
  for (let i = 0; i < 3; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  return app;
}

const OK: Behaviour = { kind: 'ok', body: '' };
const alertnames = (req: Received | undefined) => (JSON.parse(req?.body ?? '[]') as PostableAlert[]).map((a) => a.labels.k8s_pod_name);

describe('alertmanager: several hostports', () => {
  it('both accept: one POST each with the same 3 alerts, path /api/v2/alerts, JSON, custom headers', async () => {
    const a = await hostport(() => OK);
    const b = await hostport(() => OK);
    const target = await run([a.r.url(''), b.r.url('')], '  customheaders: "X-Scope-OrgID:tenant-1"\n');
    await settle(async () => (await metricValue(target, 'peregrine_delivered_total')) === 3, '3 delivered');
    for (const h of [a, b]) {
      expect(h.seen).toHaveLength(1);
      expect(h.seen[0]).toMatchObject({ url: '/api/v2/alerts', headers: { 'content-type': 'application/json', 'x-scope-orgid': 'tenant-1' } });
      expect(alertnames(h.seen[0])).toEqual(['web-7d9', 'web-7d9', 'web-7d9']);
    }
    expect(a.seen[0]?.body).toBe(b.seen[0]?.body);
  });

  it('one refuses for good (404), the other accepts: dead-lettered, the reason names both', async () => {
    const a = await hostport(() => OK);
    const b = await hostport(() => ({ kind: 'status', status: 404, body: '404 page not found' }));
    const target = await run([a.r.url(''), b.r.url('/am')]);
    await settle(() => target.deadLetters.size() === 3, '3 dead-lettered');
    expect(target.deadLetters.list()[0]).toMatchObject({
      reason: 'rejected',
      attempts: 1,
      detail: `http://127.0.0.1:${b.r.port}/am/api/v2/alerts: HTTP 404: 404 page not found; accepted by http://127.0.0.1:${a.r.port}/api/v2/alerts`,
    });
    // A 404 is the endpoint's, not an alert's: the batch is not sent again in halves.
    expect(a.seen.map((req) => alertnames(req).length)).toEqual([3]);
  });

  it('410 (the v1 API, gone since Alertmanager 0.27): dead-lettered whole with the hint, not halved', async () => {
    const a = await hostport(() => ({ kind: 'status', status: 410, body: 'gone' }));
    const target = await run([a.r.url('')]);
    await settle(() => target.deadLetters.size() === 3, '3 dead-lettered');
    expect(target.deadLetters.list()[0]?.detail).toContain('has no v1 API: set endpoint: /api/v2/alerts');
    expect(a.seen.map((req) => alertnames(req).length)).toEqual([3]);
  });

  it('one is down (connection refused) and comes back: retried to both, delivered once it accepts', async () => {
    const a = await hostport(() => OK);
    const b = await hostport(() => OK);
    const port = b.r.port;
    await b.r.stop();
    const target = await run([a.r.url(''), `http://127.0.0.1:${port}`]);
    await settle(() => a.seen.length >= 2, 'retries to the healthy hostport');
    expect(await metricValue(target, 'peregrine_delivered_total')).toBe(0);
    expect(target.workers[0]?.healthSnapshot().lastError).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/api/v2/alerts: .*ECONNREFUSED.*; accepted by http://127\\.0\\.0\\.1:${a.r.port}/api/v2/alerts \\(re-sent to every hostport`));
    await b.r.start(port);
    await settle(async () => (await metricValue(target, 'peregrine_delivered_total')) === 3, 'delivery after recovery');
    // Each alert once. The batch failed whole, but only while b was down: not halved. After a failure
    // the first request carries one alert (is it back?), the rest go together.
    expect(b.seen.map((q) => alertnames(q).length)).toEqual([1, 2]);
    expect(b.seen.flatMap(alertnames)).toHaveLength(3);
    expect(target.deadLetters.size()).toBe(0);
  });

  it('429 with Retry-After at one, 503 at the other: retried after the longest wait the answers ask for', async () => {
    const a = await hostport((n) => (n === 0 ? { kind: 'status', status: 429, headers: { 'retry-after': '0.15' }, body: 'slow down' } : OK));
    const b = await hostport((n) => (n === 0 ? { kind: 'status', status: 503, body: 'busy' } : OK));
    const target = await run([a.r.url(''), b.r.url('')]);
    await settle(async () => (await metricValue(target, 'peregrine_delivered_total')) === 3, '3 delivered');
    expect((a.seen[1]?.clockAt ?? 0) - (a.seen[0]?.clockAt ?? 0)).toBeGreaterThanOrEqual(150); // initialbackoffms is 20: only Retry-After explains the wait
    expect(await metricValue(target, 'peregrine_retries_total', { output: 'alertmanager', reason: 'throttled' })).toBe(3);
  });

  it('429 with Retry-After as an HTTP date: the wait is measured on the app\'s clock', async () => {
    // Two seconds ahead of the fake clock (HTTP dates have whole seconds); the wait is capped at maxbackoffms (200).
    const a = await hostport((n) => (n === 0 ? { kind: 'status', status: 429, headers: { 'retry-after': new Date(clock.now() + 2000).toUTCString() }, body: 'slow down' } : OK));
    const target = await run([a.r.url('')]);
    await settle(async () => (await metricValue(target, 'peregrine_delivered_total')) === 3, '3 delivered');
    expect((a.seen[1]?.clockAt ?? 0) - (a.seen[0]?.clockAt ?? 0)).toBeGreaterThanOrEqual(200);
  });

  it('401 from an authenticating proxy: the output is failing, alerts stay queued, nothing is dead-lettered', async () => {
    let refuse = true;
    const a = await hostport(() => (refuse ? { kind: 'status', status: 401, body: 'Unauthorized' } : OK));
    const target = await run([a.r.url('')]);
    await settle(() => target.workers[0]?.healthSnapshot().state === 'failing', 'failing');
    expect(target.workers[0]?.healthSnapshot().lastError).toContain('HTTP 401: Unauthorized (credentials refused');
    expect(target.deadLetters.size()).toBe(0);
    refuse = false;
    await settle(async () => (await metricValue(target, 'peregrine_delivered_total')) === 3, '3 delivered');
  });

  it('credentials in the hostport URL become basic auth and never appear in a reason', async () => {
    const a = await hostport(() => ({ kind: 'status', status: 400, body: 'bad' }));
    const target = await run([`http://falco:s3cret@127.0.0.1:${a.r.port}`]);
    await settle(() => target.deadLetters.size() === 3, '3 dead-lettered');
    expect(a.seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('falco:s3cret').toString('base64')}`);
    // Each is dead-lettered alone (the batch was halved to find the alert refused): its own 400.
    expect(target.deadLetters.list().map((d) => d.detail)).toEqual(Array(3).fill(`http://falco:***@127.0.0.1:${a.r.port}/api/v2/alerts: HTTP 400: bad`));
  });
});
