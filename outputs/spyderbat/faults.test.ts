// The spyderbat output inside the real app against the Spyderbat API stand-in (test/support/
// spyderbat-receiver.ts): the source made once and reused, made again when it goes away, each
// documented answer classified (202, 400, 401, 404, 429, 5xx), and an alert without proc.pid
// dead-lettered while the others arrive.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { startSpyderbatApi, type SpyderbatApi, type SpyderbatSource } from '../../test/support/spyderbat-receiver.ts';

const ORG = 'org7f3a';
const KEY = 'sb-api-key-0123456789';
const SOURCE: SpyderbatSource = { uid: `falcosidekick_${ORG}`, name: 'falcosidekick', description: '' };
// The fixture alert with a process id.
const withPid = (i: number) => falcoAlertJson(i).replace('"evt.time":', `"proc.pid":${4242 + i},"evt.time":`);

let app: RunningApp | undefined;
let api: SpyderbatApi | undefined;
let clock = new FakeClock();
let settle: ReturnType<typeof settler>;
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  await api?.receiver.stop();
  app = api = undefined;
});

async function run(existing: SpyderbatSource[] = [], key = KEY, org = ORG): Promise<{ app: RunningApp; api: SpyderbatApi }> {
  clock = new FakeClock();
  api = await startSpyderbatApi(ORG, KEY, existing, () => clock.now());
  app = await startApp(`spyderbat:\n  orguid: ${org}\n  apikey: ${key}\n  apiurl: ${api.receiver.url('')}\n  timeoutms: 10000\n  batch:\n    flushms: 50\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 500\n`, { healthIntervalMs: 100, clock });
  settle = settler(clock, app);
  return { app, api };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'spyderbat' });
const calls = (s: SpyderbatApi) => s.receiver.requests.map((q) => `${q.method} ${q.url}`);
const DATA = `POST /api/v1/org/${ORG}/source/falcosidekick_${ORG}/data/sb-agent`;
const LIST = `GET /api/v1/org/${ORG}/source/`;
const MAKE = `POST /api/v1/org/${ORG}/source/`;

describe('spyderbat: API answers', () => {
  it('source missing: made once ({name, description, uid}), then the events, valid, to its data endpoint', async () => {
    const { app: a, api: s } = await run();
    for (let i = 0; i < 3; i++) await a.post(withPid(i));
    await settle(async () => (await delivered(a)) === 3, '3 delivered');
    expect(s.receiver.invalid).toEqual([]);
    expect(calls(s).slice(0, 2)).toEqual([LIST, MAKE]);
    expect(calls(s).slice(2).every((c) => c === DATA)).toBe(true);
    expect([...s.sources.values()]).toEqual([SOURCE]);
    expect(s.events().map((e) => [e.id, e.pid, e.time, e.level, e.args, e.container])).toEqual([0, 1, 2].map((i) => [`alert-${i}`, 4242 + i, 1700000000, 'low', 'sh -c id', '1f0a2e5c8d3b']));
    expect(s.receiver.accepted[0]?.headers).toMatchObject({ authorization: `Bearer ${KEY}`, 'content-type': 'application/ndjson', 'content-encoding': 'gzip' });
  });

  it('source already there: no creation', async () => {
    const { app: a, api: s } = await run([SOURCE]);
    await a.post(withPid(1));
    await settle(async () => (await delivered(a)) === 1, 'delivered');
    expect(calls(s)).toEqual([LIST, DATA]);
  });

  it('the source goes away (404): made again, the alert delivered', async () => {
    const { app: a, api: s } = await run([SOURCE]);
    await a.post(withPid(1));
    await settle(async () => (await delivered(a)) === 1, 'first delivered');
    s.sources.clear();
    await a.post(withPid(2));
    await settle(async () => (await delivered(a)) === 2, 'second delivered');
    expect(calls(s)).toEqual([LIST, DATA, DATA, LIST, MAKE, DATA]);
    expect(a.deadLetters.size()).toBe(0);
  });

  it('401 for a key Spyderbat does not accept: failing, the alert held, the key not in the error', async () => {
    const { app: a, api: s } = await run([], 'not-the-key');
    await a.post(withPid(1));
    await settle(() => a.workers.find((w) => w.name === 'spyderbat')?.healthSnapshot().state === 'failing', 'failing');
    expect(s.receiver.accepted).toHaveLength(0);
    expect(a.deadLetters.size()).toBe(0);
    const health = (await (await fetch(`${a.url}/healthz`)).json()) as { outputs: Record<string, { lastError: string }> };
    expect(health.outputs.spyderbat?.lastError).toContain('check spyderbat.apikey');
    expect(health.outputs.spyderbat?.lastError).not.toContain('not-the-key');
  });

  it('an org Spyderbat does not have (404 on the source list): dead-lettered with the hint', async () => {
    const { app: a } = await run([], KEY, 'no-such-org');
    await a.post(withPid(1));
    await settle(() => a.deadLetters.size() === 1, 'dead-lettered');
    expect(a.deadLetters.list()[0]?.detail).toMatch(/^listing the sources: HTTP 404.*check spyderbat\.orguid\)$/);
  });

  it.each([
    ['429 with Retry-After', { kind: 'throttle', retryAfter: '1' }],
    ['500', { kind: 'unavailable', status: 500 }],
    ['503', { kind: 'unavailable', status: 503 }],
  ] as const)('%s twice, then 202: retried, delivered once', async (_name, fault) => {
    const { app: a, api: s } = await run([SOURCE]);
    s.receiver.failNext(fault, fault);
    await a.post(withPid(1));
    await settle(async () => (await delivered(a)) === 1, 'delivered');
    expect(calls(s)).toEqual([LIST, DATA, DATA, DATA]);
    expect(s.events()).toHaveLength(1);
  });

  it('400 (an event Spyderbat does not take): dead-lettered, not retried', async () => {
    const { app: a, api: s } = await run([SOURCE]);
    s.receiver.failNext({ kind: 'status', status: 400 });
    await a.post(withPid(1));
    await settle(() => a.deadLetters.size() === 1, 'dead-lettered');
    expect(calls(s)).toEqual([LIST, DATA]);
    expect(a.deadLetters.list()[0]).toMatchObject({ output: 'spyderbat', reason: 'rejected' });
  });

  it('an alert without proc.pid is dead-lettered with why; the others arrive', async () => {
    const { app: a, api: s } = await run([SOURCE]);
    await a.post(withPid(1));
    await a.post(falcoAlertJson(2));
    await a.post(withPid(3));
    await settle(async () => (await delivered(a)) === 2 && a.deadLetters.size() === 1, '2 delivered, 1 dead-lettered');
    expect(s.events().map((e) => e.id).sort()).toEqual(['alert-1', 'alert-3']);
    expect(a.deadLetters.list()[0]).toMatchObject({ alert: { uuid: 'alert-2' }, detail: "proc.pid is missing: Spyderbat's falco_alert event needs the process id" });
  });

  it('a batch with an alert without proc.pid and a 400 about the others: the sent ones are halved, not all dead-lettered', async () => {
    const { app: a, api: s } = await run([SOURCE]);
    s.receiver.failNext({ kind: 'status', status: 400 });
    await a.post(`[${[withPid(1), falcoAlertJson(2), withPid(3), withPid(4)].join(',')}]`);
    await settle(async () => (await delivered(a)) === 3 && a.deadLetters.size() === 1, '3 delivered, 1 dead-lettered');
    expect(s.events().map((e) => e.id).sort()).toEqual(['alert-1', 'alert-3', 'alert-4']);
    expect(a.deadLetters.list().map((l) => l.alert.uuid)).toEqual(['alert-2']);
  });
});
