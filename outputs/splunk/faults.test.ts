// The splunk output inside the real app against an in-process HEC stand-in (test/support/receiver.ts)
// that answers with each HEC code: every alert ends delivered or dead-lettered with a reason.
// Real sockets, fake clock: backoff, Retry-After, timeoutms, flushms and the ack polls run on a
// FakeClock the tests advance (test/support/fake-clock.ts).
import { systemClock } from '../../src/dispatch/clock.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/plugin/index.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { advanceUntil, closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { metricSum } from '../../test/support/metrics.ts';
import { Receiver, waitFor, type Behaviour, type Received } from '../../test/support/receiver.ts';
import splunk, { type SplunkClient } from './index.ts';
import { splunkSchema } from './options.ts';

const TOKEN = '11111111-2222-3333-4444-555555555555';
const OK = { kind: 'status', status: 200, body: '{"text":"Success","code":0}' } as const;

let app: RunningApp | undefined;
let hec: Receiver | undefined;
let clock = new FakeClock();
afterEach(async () => {
  // close() gives in-flight requests up to 0 ms on the worker's (fake) clock: move it until it is done.
  if (app) await closeOnClock(app, clock);
  await hec?.stop();
  app = hec = undefined;
});

type Events = (req: Received, attempt: number) => Behaviour;

/** A HEC stand-in: health and the empty-body token probe answer like Splunk; events and acks as the test says. */
async function fakeHec(events: Events, acks?: (req: Received) => Behaviour): Promise<Receiver> {
  const r = await new Receiver().start();
  let eventAttempt = 0;
  r.setBehaviour((req) => {
    const authorized = req.headers.authorization === `Splunk ${TOKEN}`;
    if (req.url === '/services/collector/health') return { kind: 'status', status: 200, body: '{"text":"HEC is healthy","code":17}' };
    if (req.url === '/services/collector/ack') return acks ? acks(req) : { kind: 'status', status: 400, body: '{"text":"ACK is disabled","code":14}' };
    if (req.body === '') return authorized ? { kind: 'status', status: 400, body: '{"text":"No data","code":5}' } : { kind: 'status', status: 403, body: '{"text":"Invalid token","code":4}' };
    return events(req, eventAttempt++);
  });
  return r;
}

const fast = (extra = '', retry = '') =>
  `splunk:\n  hostport: http://127.0.0.1:PORT\n  token: ${TOKEN}\n  index: falco\n  source: falco\n${/^ {2}timeoutms: /m.test(extra) ? '' : '  timeoutms: 10000\n'}  retry:\n    initialbackoffms: 20\n    maxbackoffms: 300\n${retry}  batch:\n    maxevents: 5\n    flushms: 100\n${extra}`;

async function run(events: Events, extra = '', acks?: (req: Received) => Behaviour, retry = '') {
  clock = new FakeClock();
  hec = await fakeHec(events, acks);
  app = await startApp(fast(extra, retry).replace('PORT', String(hec.port)), { healthIntervalMs: 100, clock });
  return { hec, app, settle: settler(clock, app) };
}

/**
 * Posts falcoAlertJson(from … from+count−1) as one JSON array: they are queued together, so how they
 * fall into batches of 5 does not depend on how fast a loaded machine posts them against flushms.
 */
async function postMany(target: RunningApp, from: number, count: number) {
  const alerts = Array.from({ length: count }, (_, i) => falcoAlertJson(from + i));
  expect((await target.post(`[${alerts.join(',')}]`)).status).toBe(200);
}

/** Event POSTs with alerts in them (not the empty token probe), whatever the answer. */
const eventPosts = <T extends Received>(all: T[]): T[] => all.filter((q) => q.url === '/services/collector/event' && q.body !== '');
const uuidsIn = (body: string) => body.split('\n').map((l) => (JSON.parse(l) as { event: Alert }).event.uuid);

function recorder(r: Receiver): (Received & { clockAt: number })[] {
  // Receiver.received only holds 'ok' answers; keep every event request here, with the fake clock's time.
  const seen: (Received & { clockAt: number })[] = [];
  const inner = (r as unknown as { behave: Events }).behave;
  r.setBehaviour((req, n) => {
    seen.push({ ...req, clockAt: clock.now() });
    return inner(req, n);
  });
  return seen;
}

/** Requests sent, by outcome, from the send-duration histogram's count. */
function sends(a: RunningApp, outcome: string): Promise<number> {
  return metricSum(a.metrics.registry, 'peregrine_send_duration_seconds', { output: 'splunk', outcome }, '_count');
}

describe('splunk: HEC answers', () => {
  it('code 0: one request for the batch, HEC headers, envelopes with time/host/index/source/sourcetype and the exact alert', async () => {
    const { hec: r, app: a, settle } = await run(() => ({ kind: 'ok', body: '{"text":"Success","code":0}' }));
    await postMany(a, 0, 5);
    await settle(async () => (await metricValue(a, 'peregrine_delivered_total')) === 5, '5 delivered');
    expect(r.received).toHaveLength(1);
    const req = r.received[0] as Received;
    expect(req.url).toBe('/services/collector/event');
    expect(req.headers).toMatchObject({ authorization: `Splunk ${TOKEN}`, 'content-type': 'application/json', 'user-agent': expect.stringMatching(/^peregrine\//) });
    expect(req.headers['x-splunk-request-channel']).toBeUndefined();
    const lines = req.body.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^\{"time":1795170096\.167531875,"host":"node-1","source":"falco","sourcetype":"falcosidekick","index":"falco","event":\{"uuid":"alert-0",/);
    expect(req.body).toContain('"evt.time":1700000000167531879');
    expect(await metricValue(a, 'peregrine_delivered_total')).toBe(5);
  });

  it('code 6 with invalid-event-number: the events before it are delivered, it is dead-lettered, the rest re-sent', async () => {
    const { hec: r, app: a, settle } = await run((_req, n) => (n === 0 ? { kind: 'status', status: 400, body: '{"text":"Invalid data format","code":6,"invalid-event-number":2}' } : { kind: 'ok' }));
    const seen = recorder(r);
    await postMany(a, 0, 5);
    await settle(() => r.received.length === 1 && a.deadLetters.size() === 1, 'the rest re-sent, one dead-lettered');
    expect(uuidsIn(r.received[0]?.body ?? '')).toEqual(['alert-3', 'alert-4']);
    expect(a.deadLetters.list()[0]).toMatchObject({ output: 'splunk', reason: 'rejected', alert: { uuid: 'alert-2' }, detail: 'HEC code 6 (HTTP 400): Invalid data format (event 2 of the batch)' });
    // The receiver records the re-sent batch before the worker has read its answer: wait for that.
    await settle(async () => (await metricValue(a, 'peregrine_delivered_total')) >= 4, 'the re-sent batch settled');
    expect(await metricValue(a, 'peregrine_delivered_total')).toBe(4);
    expect(eventPosts(seen)).toHaveLength(2);
  });

  it('code 9 (503 server busy) with Retry-After: retried, then delivered', async () => {
    const { hec: r, app: a, settle } = await run((_req, n) => (n < 2 ? { kind: 'status', status: 503, headers: { 'retry-after': '1' }, body: '{"text":"Server is busy","code":9}' } : { kind: 'ok' }));
    const seen = recorder(r);
    await postMany(a, 0, 5);
    await settle(() => r.received.reduce((n, got) => n + uuidsIn(got.body).length, 0) === 5, '5 delivered');
    expect(r.received.flatMap((got) => uuidsIn(got.body)).sort()).toEqual(['alert-0', 'alert-1', 'alert-2', 'alert-3', 'alert-4']);
    // Every alert of the two refused posts (one batch of five, twice) was counted as a throttled retry.
    expect(eventPosts(seen).slice(0, 2).map((got) => uuidsIn(got.body).length)).toEqual([5, 5]);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'splunk', reason: 'throttled' })).toBe(10);
    expect(a.deadLetters.size()).toBe(0);
  });

  it('429 with Retry-After: the next attempt waits for it', async () => {
    const { hec: r, app: a, settle } = await run((_req, n) => (n === 0 ? { kind: 'status', status: 429, headers: { 'retry-after': '0.25' }, body: 'too many requests' } : { kind: 'ok' }));
    const seen = recorder(r);
    await postMany(a, 0, 5);
    await settle(() => r.received.length === 1, 'delivered after Retry-After');
    const posts = eventPosts(seen);
    expect(posts).toHaveLength(2);
    // initialbackoffms is 20: only Retry-After explains the wait (maxbackoffms 300 bounds it).
    expect((posts[1]?.clockAt ?? 0) - (posts[0]?.clockAt ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it.each([
    [401, '{"text":"Token is required","code":2}'],
    [403, '{"text":"Invalid token","code":4}'],
  ])('HTTP %i (%s): output failing in /healthz, alerts kept queued, delivered once HEC accepts again', async (status, body) => {
    let reject = true;
    const { hec: r, app: a, settle } = await run(() => (reject ? { kind: 'status', status, body } : { kind: 'ok' }));
    await postMany(a, 0, 12);
    await settle(() => a.workers[0]?.healthSnapshot().state === 'failing', 'failing');
    const health = (await (await fetch(`${a.url}/healthz`)).json()) as { status: string; outputs: { splunk: { state: string; queued: number; inflight: number; lastError: string } } };
    expect(health.status).toBe('degraded');
    expect(health.outputs.splunk.queued + health.outputs.splunk.inflight).toBe(12);
    expect(health.outputs.splunk.lastError).toContain('check splunk.token');
    expect(health.outputs.splunk.lastError).not.toContain(TOKEN);
    expect(a.deadLetters.size()).toBe(0);
    reject = false;
    await settle(() => r.received.length >= 3, 'delivery after recovery');
    expect(r.received.flatMap((q) => uuidsIn(q.body)).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `alert-${i}`).sort());
    await settle(() => a.workers[0]?.healthSnapshot().state === 'ok', 'ok again');
  });

  it('a token echoed in an error body never reaches a reason or /healthz', async () => {
    const { app: a, settle } = await run(() => ({ kind: 'status', status: 401, body: `scheme or token does not match: Splunk ${TOKEN}` }));
    await postMany(a, 0, 1);
    await settle(() => a.workers[0]?.healthSnapshot().consecutiveFailures === 1, 'one failure');
    expect(a.workers[0]?.healthSnapshot().lastError).toBe('HTTP 401: scheme or token does not match: Splunk *** (token refused: check splunk.token and that the token is enabled)');
  });

  it('a HEC that hangs: the request times out (timeoutms) and the batch is re-sent, one alert first', async () => {
    // timeoutms on the fake clock; the HTTP pool's own (real) timeouts of the same 5 s never come into
    // play. probems stays above timeoutms (as with the defaults, 1000 > 400) so the retry follows the
    // backoff, not a probe's timer.
    const { hec: r, app: a, settle } = await run((_req, n) => (n === 0 ? { kind: 'hang' } : { kind: 'ok' }), '  timeoutms: 5000\n', undefined, '    probems: 60000\n');
    const seen = recorder(r);
    await postMany(a, 0, 5);
    await waitFor(() => eventPosts(seen).length === 1, 10_000, 'the hanging request');
    await clock.advance(5000);
    await settle(() => r.received.length === 2, 'the batch re-sent');
    const posts = eventPosts(seen);
    expect((posts[1]?.clockAt ?? 0) - (posts[0]?.clockAt ?? 0)).toBeGreaterThanOrEqual(5000);
    expect(await sends(a, 'retry')).toBe(1);
    // It failed whole, maybe for HEC's sake: one alert alone tells whether HEC is back (set-aside.ts),
    // then the other four go together. Not halved: it failed once, with nothing delivered before.
    expect(r.received.map((q) => uuidsIn(q.body))).toEqual([['alert-0'], ['alert-1', 'alert-2', 'alert-3', 'alert-4']]);
  });
});

describe('splunk: indexer acknowledgement', () => {
  const ackReply = (ids: number[], value: boolean): Behaviour => ({ kind: 'status', status: 200, body: JSON.stringify({ acks: Object.fromEntries(ids.map((id) => [String(id), value])) }) });

  it('alerts count as delivered only once HEC acknowledges them, on the same channel', async () => {
    let granted = false;
    const polls: Received[] = [];
    // The polls keep the batch in flight, so the clock moves regardless (advanceUntil); the deadlines
    // are far enough on it that a slow poll on a loaded machine never reaches them.
    const { hec: r, app: a } = await run(
      () => ({ kind: 'ok', body: '{"text":"Success","code":0,"ackId":7}' }),
      '  useack: true\n  ackpollms: 20\n  acktimeoutms: 300000\n  timeoutms: 400000\n',
      (req) => {
        polls.push(req);
        return ackReply((JSON.parse(req.body) as { acks: number[] }).acks, granted);
      },
    );
    await postMany(a, 0, 5);
    await advanceUntil(clock, () => polls.length >= 3, 'ack polls', 20);
    expect(await metricValue(a, 'peregrine_delivered_total')).toBe(0);
    expect(a.workers[0]?.healthSnapshot().inflight).toBe(5);
    granted = true;
    await advanceUntil(clock, async () => (await metricValue(a, 'peregrine_delivered_total')) === 5, 'delivered after ack', 20);
    const channel = r.received[0]?.headers['x-splunk-request-channel'];
    expect(channel).toMatch(/^[0-9a-f-]{36}$/);
    expect(polls.every((p) => p.headers['x-splunk-request-channel'] === channel && p.body === '{"acks":[7]}')).toBe(true);
    expect(r.received).toHaveLength(1);
  });

  it('an ack that never comes: the batch is re-sent after acktimeoutms, and delivered when a later send is acked', async () => {
    let ackId = 0;
    const { hec: r, app: a } = await run(
      () => ({ kind: 'ok', body: JSON.stringify({ text: 'Success', code: 0, ackId: ++ackId }) }),
      '  useack: true\n  ackpollms: 20\n  acktimeoutms: 150\n  timeoutms: 400000\n',
      (req) => {
        const ids = (JSON.parse(req.body) as { acks: number[] }).acks;
        return ackReply(ids, (ids[0] ?? 0) >= 2); // the first send is never acknowledged
      },
    );
    await postMany(a, 0, 5);
    await advanceUntil(clock, async () => (await metricValue(a, 'peregrine_delivered_total')) === 5, 'delivered', 20);
    // The unacknowledged send failed whole: one alert alone first (is HEC taking events?), then the rest.
    expect(r.received.map((q) => uuidsIn(q.body))).toEqual([['alert-0', 'alert-1', 'alert-2', 'alert-3', 'alert-4'], ['alert-0'], ['alert-1', 'alert-2', 'alert-3', 'alert-4']]);
    expect(a.workers[0]?.healthSnapshot().lastError ?? '').toBe('');
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'splunk' })).toBe(5);
    expect(a.deadLetters.size()).toBe(0);
  });

  it('a token without acknowledgement (no ackId in the answer) counts the batch as delivered', async () => {
    const { app: a, settle } = await run(() => ({ kind: 'ok', body: '{"text":"Success","code":0}' }), '  useack: true\n');
    await postMany(a, 0, 5);
    await settle(async () => (await metricValue(a, 'peregrine_delivered_total')) === 5, '5 delivered');
  });
});

describe('splunk: healthcheck and gzip', () => {
  const connect = (options: Record<string, unknown>) =>
    splunk.connect?.(splunkSchema.parse(options), {
      name: 'splunk',
      log: pino({ level: 'silent' }),
      tls: { cacertfile: '', certfile: '', keyfile: '', mutualcacertfile: '' },
      userAgent: 'peregrine/test',
      shared: {},
      timeoutMs: 1000,
      concurrency: 1,
      clock: systemClock,
    }) as SplunkClient;

  it('healthy with the right token; names the token when HEC refuses it; names useack when the token wants a channel', async () => {
    hec = await fakeHec(() => OK);
    const good = connect({ hostport: hec.url(''), token: TOKEN });
    const bad = connect({ hostport: hec.url(''), token: 'wrong-token' });
    const signal = AbortSignal.timeout(2000);
    const options = splunkSchema.parse({ hostport: hec.url('') });
    expect(await splunk.healthcheck?.({ client: good, options, signal, clock: systemClock })).toEqual({ ok: true, message: 'HEC is healthy (HEC is healthy); token accepted' });
    expect(await splunk.healthcheck?.({ client: bad, options, signal, clock: systemClock })).toEqual({ ok: false, message: 'HEC /services/collector/event answered HTTP 403 code 4: token refused; check splunk.token' });
    hec.setBehaviour((req) => (req.url.endsWith('/health') ? { kind: 'status', status: 200, body: '{"text":"HEC is healthy","code":17}' } : { kind: 'status', status: 400, body: '{"text":"Data channel is missing","code":10}' }));
    expect(await splunk.healthcheck?.({ client: good, options, signal, clock: systemClock })).toMatchObject({ ok: false, message: expect.stringContaining('useack: true') });
    hec.setBehaviour(() => ({ kind: 'status', status: 503, body: '{"text":"HEC is unhealthy, queues are full","code":18}' }));
    expect(await splunk.healthcheck?.({ client: good, options, signal, clock: systemClock })).toMatchObject({ ok: false, message: 'HEC /services/collector/health answered HTTP 503 (code 18: HEC is unhealthy, queues are full)' });
    await good.pool.close();
    await bad.pool.close();
  });

  it('an empty token is a connect error that says which key to set', () => {
    expect(() => connect({ hostport: 'http://127.0.0.1:1' })).toThrow('splunk.token is empty');
  });

  it('gzip: true sends Content-Encoding: gzip with the same envelopes', async () => {
    const bodies: { encoding: string | undefined; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'POST' && chunks.length) bodies.push({ encoding: req.headers['content-encoding'], body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(req.url?.endsWith('/health') ? '{"text":"HEC is healthy","code":17}' : '{"text":"Success","code":0}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      app = await startApp(`splunk:\n  hostport: http://127.0.0.1:${port}\n  token: ${TOKEN}\n  gzip: true\n  batch:\n    maxevents: 3\n`);
      await postMany(app, 0, 3);
      await waitFor(() => bodies.length === 1);
      expect(bodies[0]?.encoding).toBe('gzip');
      expect(uuidsIn(gunzipSync(bodies[0]?.body ?? Buffer.alloc(0)).toString())).toEqual(['alert-0', 'alert-1', 'alert-2']);
    } finally {
      await app?.stop();
      app = undefined;
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
