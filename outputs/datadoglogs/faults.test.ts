// The datadoglogs output inside the real app against the Logs intake stand-in (test/support/
// datadog-receiver.ts): every request valid by the intake's schema (an array of at most 1,000
// entries, 5 MB), batched, and each documented answer classified; a batch refused whole is sent
// again in halves.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { startDatadogLogsReceiver } from '../../test/support/datadog-receiver.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { falcosidekickBody } from '../../test/support/json-post.ts';
import { saasFaultMatrix } from '../../test/support/saas-faults.ts';
import type { SaasReceiver } from '../../test/support/saas-receiver.ts';

const KEY = '0123456789abcdef0123456789abcdef';
let app: RunningApp | undefined;
let dd: SaasReceiver | undefined;
let clock = new FakeClock();
let settle: ReturnType<typeof settler>;
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  await dd?.stop();
  app = dd = undefined;
});

async function run(extra = '', apikey = KEY): Promise<{ app: RunningApp; dd: SaasReceiver }> {
  clock = new FakeClock();
  dd = await startDatadogLogsReceiver(KEY, () => clock.now());
  app = await startApp(
    `datadoglogs:\n  apikey: ${apikey}\n  host: ${dd.url('/')}\n  service: falco\n  timeoutms: 10000\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 500\n${extra}`,
    { healthIntervalMs: 100, clock },
  );
  settle = settler(clock, app);
  return { app, dd };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'datadoglogs' });
const entry = (i: number) => JSON.stringify({ ddsource: 'falco', hostname: 'node-1', service: 'falco', message: falcosidekickBody(i), ddtags: 'T1059,container,mitre_execution,shell' });

describe('datadoglogs: Logs intake v2 answers', () => {
  it('202: the alerts of a flush in one request, a JSON array of entries, the key in DD-API-KEY', async () => {
    const { app: a, dd: r } = await run();
    for (let i = 0; i < 3; i++) await a.post(falcoAlertJson(i));
    await settle(async () => (await delivered(a)) === 3, '3 delivered');
    expect(r.invalid).toEqual([]);
    expect(r.accepted).toHaveLength(1);
    expect(r.accepted[0]?.url).toBe('/api/v2/logs');
    expect(r.accepted[0]?.headers).toMatchObject({ 'dd-api-key': KEY, 'content-type': 'application/json; charset=utf-8', 'user-agent': expect.stringMatching(/^peregrine\//) });
    expect(r.accepted[0]?.body).toBe(`[${entry(0)},${entry(1)},${entry(2)}]`);
  });

  it('403 for an unknown key: the output is failing, the alerts held (not dead-lettered)', async () => {
    const { app: a, dd: r } = await run('', 'ffffffffffffffffffffffffffffffff');
    await a.post(falcoAlertJson(1));
    await settle(() => a.workers.find((w) => w.name === 'datadoglogs')?.healthSnapshot().state === 'failing', 'failing');
    expect(r.accepted).toHaveLength(0);
    expect(a.deadLetters.size()).toBe(0);
  });

  it('400 for a whole batch: sent again in halves (two in flight), every alert delivered once', async () => {
    const { app: a, dd: r } = await run();
    r.failNext({ kind: 'invalid', errors: ['malformed entry'] });
    for (let i = 0; i < 4; i++) await a.post(falcoAlertJson(i));
    await settle(async () => (await delivered(a)) === 4, '4 delivered');
    const sizes = r.requests.map((q) => (JSON.parse(q.body) as unknown[]).length);
    expect(sizes).toEqual([4, 2, 2]);
    expect(r.acceptedJson<{ message: string }[]>().flat().map((e) => JSON.parse(e.message).uuid as string).sort()).toEqual(['alert-0', 'alert-1', 'alert-2', 'alert-3']);
    expect(a.deadLetters.size()).toBe(0);
  });

  it("400 for one alert alone: dead-lettered with Datadog's errors", async () => {
    const { app: a, dd: r } = await run();
    r.failNext({ kind: 'invalid', errors: ['malformed entry'] });
    await a.post(falcoAlertJson(1));
    await settle(() => a.deadLetters.size() === 1, '1 dead-lettered');
    expect(a.deadLetters.list()[0]).toMatchObject({ output: 'datadoglogs', reason: 'rejected', attempts: 1, detail: 'HTTP 400: Bad Request: malformed entry' });
    expect(r.requests).toHaveLength(1);
  });
});

// One alert per request here: the matrix counts requests per alert.
saasFaultMatrix({
  output: 'datadoglogs',
  start: async () => {
    const { app: a, dd: r } = await run('  batch:\n    maxevents: 1\n');
    app = dd = undefined; // the matrix stops them
    return { app: a, receiver: r, clock };
  },
  goneHint: '(no Datadog API here: check datadoglogs.host)',
});
