// The openobserve output inside the real app against an OpenObserve stand-in (test/support/
// openobserve-receiver.ts; OpenObserve is AGPL, so no real server): the alert JSON as one _multi
// record per request with basic auth and the custom headers, and its answers classified, a record
// refused inside a 200 included.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { basic, falcosidekickBody } from '../../test/support/json-post.ts';
import { startOpenObserve, type OpenObserveStandIn } from '../../test/support/openobserve-receiver.ts';
import { saasFaultMatrix } from '../../test/support/saas-faults.ts';

let app: RunningApp | undefined;
let o2: OpenObserveStandIn | undefined;
let clock = new FakeClock();
let settle: ReturnType<typeof settler>;
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  await o2?.receiver.stop();
  app = o2 = undefined;
});

async function run(password = 'Complexpass#123', extra = ''): Promise<{ app: RunningApp; o2: OpenObserveStandIn }> {
  clock = new FakeClock();
  o2 = await startOpenObserve('root@example.com', 'Complexpass#123', () => clock.now());
  app = await startApp(
    `openobserve:\n  hostport: ${o2.receiver.url('/')}\n  username: root@example.com\n  password: "${password}"\n  timeoutms: 10000\n${extra}  retry:\n    initialbackoffms: 20\n    maxbackoffms: 500\n`,
    { healthIntervalMs: 100, clock },
  );
  settle = settler(clock, app);
  return { app, o2 };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'openobserve' });

describe('openobserve: _multi ingestion answers', () => {
  it('200: the alert JSON into default/falco, one request per alert, basic auth and the custom headers', async () => {
    const { app: a, o2: r } = await run('Complexpass#123', '  customheaders:\n    X-Source: falco\n');
    for (let i = 0; i < 2; i++) await a.post(falcoAlertJson(i));
    await settle(async () => (await delivered(a)) === 2, '2 delivered');
    expect(r.receiver.invalid).toEqual([]);
    expect(r.receiver.accepted.map((q) => q.url)).toEqual(['/api/default/falco/_multi', '/api/default/falco/_multi']);
    expect(r.receiver.accepted.map((q) => q.body).sort()).toEqual([falcosidekickBody(0), falcosidekickBody(1)]);
    expect(r.receiver.accepted[0]?.headers).toMatchObject({ authorization: basic('root@example.com', 'Complexpass#123'), 'content-type': 'application/json; charset=utf-8', 'x-source': 'falco' });
    expect(r.stored.get('default/falco')).toHaveLength(2);
  });

  it('a record refused inside a 200 (failed: 1): dead-lettered with its error, not counted as delivered', async () => {
    const { app: a, o2: r } = await run();
    r.recordError = () => 'Too old data, only last 5 hours data can be ingested.';
    await a.post(falcoAlertJson(1));
    await settle(() => a.deadLetters.size() === 1, '1 dead-lettered');
    expect(a.deadLetters.list()[0]).toMatchObject({ output: 'openobserve', reason: 'rejected', attempts: 1, detail: 'record refused by stream falco: Too old data, only last 5 hours data can be ingested.' });
    expect(await delivered(a)).toBe(0);
  });

  it('401 for a wrong password: the output is failing, the alert held', async () => {
    const { app: a, o2: r } = await run('wrong');
    await a.post(falcoAlertJson(1));
    await settle(() => a.workers.find((w) => w.name === 'openobserve')?.healthSnapshot().state === 'failing', 'failing');
    expect(r.receiver.accepted).toHaveLength(0);
    expect(a.deadLetters.size()).toBe(0);
  });
});

saasFaultMatrix({
  output: 'openobserve',
  start: async () => {
    const { app: a, o2: r } = await run();
    app = o2 = undefined; // the matrix stops them
    return { app: a, receiver: r.receiver, clock };
  },
  goneHint: '(no OpenObserve ingestion here: check openobserve.hostport and organizationname)',
});
