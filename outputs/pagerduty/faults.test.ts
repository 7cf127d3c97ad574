// The pagerduty output inside the real app against the PagerDuty stand-in (test/support/
// pagerduty-receiver.ts): every request valid by the Events API v2 schema, and each documented
// answer classified: retried (429, 5xx), dead-lettered with PagerDuty's reason (400, 404), or
// held while the key is refused (401/403).
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { fixtureText } from '../../test/support/fixtures.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { startPagerDutyReceiver } from '../../test/support/pagerduty-receiver.ts';
import { saasFaultMatrix } from '../../test/support/saas-faults.ts';
import type { SaasReceiver } from '../../test/support/saas-receiver.ts';
import type { TriggerEvent } from './event.ts';

const KEY = 'R0123456789abcdef0123456789abcde';
let app: RunningApp | undefined;
let pd: SaasReceiver | undefined;
let clock = new FakeClock();
/** Waits for `done`, moving the clock while no request is in flight. */
let settle: ReturnType<typeof settler>;
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  await pd?.stop();
  app = pd = undefined;
  pdKey = KEY;
});
let pdKey = KEY;

async function run(extra = ''): Promise<{ app: RunningApp; pd: SaasReceiver }> {
  clock = new FakeClock();
  pd = await startPagerDutyReceiver(() => clock.now());
  app = await startApp(
    `pagerduty:\n  routingkey: ${pdKey}\n  apiurl: ${pd.url('/v2/enqueue')}\n  timeoutms: 10000\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 500\n${extra}`,
    { healthIntervalMs: 100, clock },
  );
  settle = settler(clock, app);
  return { app, pd };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'pagerduty' });

describe('pagerduty: Events API v2 answers', () => {
  it('202: one valid event per alert, JSON, for every priority', async () => {
    const { app: a, pd: r } = await run();
    const alerts = JSON.parse(fixtureText('alerts/by-priority.json')) as unknown[];
    for (const alert of alerts) expect((await a.post(alert)).status).toBe(200);
    await settle(async () => (await delivered(a)) === 8, '8 delivered');
    expect(r.invalid).toEqual([]);
    expect(r.accepted).toHaveLength(8);
    expect(r.accepted[0]?.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': expect.stringMatching(/^peregrine\//) });
    const events = r.acceptedJson<TriggerEvent>();
    expect(events.map((e) => e.payload.severity).sort()).toEqual(['critical', 'critical', 'critical', 'error', 'info', 'info', 'info', 'warning']);
    expect(new Set(events.map((e) => e.dedup_key)).size).toBe(8);
  });

  it('the same rule on the same pod three times: one dedup_key (one PagerDuty alert, not three)', async () => {
    const { app: a, pd: r } = await run();
    for (let i = 0; i < 3; i++) await a.post(falcoAlertJson(i, 'Critical'));
    await settle(async () => (await delivered(a)) === 3, '3 delivered');
    expect(new Set(r.acceptedJson<TriggerEvent>().map((e) => e.dedup_key)).size).toBe(1);
  });

  it('a 5,000-character output is cut to PagerDuty\'s 1024, never refused for length', async () => {
    const { app: a, pd: r } = await run();
    await a.post(falcoAlertJson(1).replace(/"output":"[^"]*"/, `"output":"${'x'.repeat(5000)}"`));
    await settle(async () => (await delivered(a)) === 1, '1 delivered');
    expect(r.invalid).toEqual([]);
    expect(r.acceptedJson<TriggerEvent>()[0]?.payload.summary).toHaveLength(1024);
  });

  it('400 invalid event: dead-lettered at once with PagerDuty\'s errors', async () => {
    const { app: a, pd: r } = await run();
    r.failNext({ kind: 'invalid' });
    await a.post(falcoAlertJson(1));
    await settle(() => a.deadLetters.size() === 1, '1 dead-lettered');
    expect(a.deadLetters.list()[0]).toMatchObject({ output: 'pagerduty', reason: 'rejected', attempts: 1, detail: "HTTP 400 invalid event: Event object is invalid ('payload.summary' is missing or blank)" });
    expect(r.requests).toHaveLength(1);
  });

  it('a routing key echoed in an error never reaches a reason', async () => {
    const { app: a, pd: r } = await run();
    r.failNext({ kind: 'invalid', errors: [`routing_key ${KEY} is unknown`] });
    await a.post(falcoAlertJson(1));
    await settle(() => a.deadLetters.size() === 1, '1 dead-lettered');
    expect(a.deadLetters.list()[0]?.detail).toBe('HTTP 400 invalid event: Event object is invalid (routing_key *** is unknown)');
  });

  it('a routing key that is not 32 characters is a configuration error, before any alert is lost', async () => {
    pdKey = 'short';
    await expect(run()).rejects.toThrow(/pagerduty\.routingkey.*32-character integration key/s);
  });
});

saasFaultMatrix({
  output: 'pagerduty',
  start: async () => {
    const { app: a, pd: r } = await run();
    app = pd = undefined; // the matrix stops them
    return { app: a, receiver: r, clock };
  },
  goneHint: '(no Events API here: check pagerduty.apiurl / region, and that the integration still exists)',
});
