// The opsgenie output inside the real app against the Opsgenie stand-in (test/support/
// opsgenie-receiver.ts): every request valid by the Alert API, authenticated with GenieKey, and
// Opsgenie's own answers classified (the shared fault matrix runs at the end).
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { fixtureText } from '../../test/support/fixtures.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { startOpsgenieReceiver } from '../../test/support/opsgenie-receiver.ts';
import { saasFaultMatrix } from '../../test/support/saas-faults.ts';
import type { SaasReceiver } from '../../test/support/saas-receiver.ts';
import type { CreateAlert } from './alert.ts';

const KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889';
let app: RunningApp | undefined;
let og: SaasReceiver | undefined;
let clock = new FakeClock();
/** Waits for `done`, moving the clock while no request is in flight. */
let settle: ReturnType<typeof settler>;
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  await og?.stop();
  app = og = undefined;
});

async function run(key = KEY): Promise<{ app: RunningApp; og: SaasReceiver }> {
  clock = new FakeClock();
  og = await startOpsgenieReceiver(KEY, () => clock.now());
  app = await startApp(
    `opsgenie:\n  apikey: ${key}\n  apiurl: ${og.url('/v2/alerts')}\n  timeoutms: 10000\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 500\n`,
    { healthIntervalMs: 100, clock },
  );
  settle = settler(clock, app);
  return { app, og };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'opsgenie' });

describe('opsgenie: Alert API answers', () => {
  it('202: one valid, authenticated Create Alert per alert, priorities P1–P5', async () => {
    const { app: a, og: r } = await run();
    for (const alert of JSON.parse(fixtureText('alerts/by-priority.json')) as unknown[]) await a.post(alert);
    await settle(async () => (await delivered(a)) === 8, '8 delivered');
    expect(r.invalid).toEqual([]);
    expect(r.accepted[0]?.headers).toMatchObject({ authorization: `GenieKey ${KEY}`, 'content-type': 'application/json' });
    expect(r.acceptedJson<CreateAlert>().map((c) => c.priority).sort()).toEqual(['P1', 'P1', 'P2', 'P3', 'P4', 'P5', 'P5', 'P5']);
  });

  it('a wrong key: Opsgenie\'s 401 makes the output failing; nothing is dead-lettered or logged with the key', async () => {
    const { app: a } = await run('wrong-key-0000');
    await a.post(falcoAlertJson(1));
    await settle(() => a.workers[0]?.healthSnapshot().state === 'failing', 'failing');
    expect(a.workers[0]?.healthSnapshot().lastError).toMatch(/^HTTP 401: \{"message":"Could not authenticate".*\(credentials refused/);
    expect(a.deadLetters.size()).toBe(0);
  });

  it('422: dead-lettered at once with Opsgenie\'s message, field errors and requestId', async () => {
    const { app: a, og: r } = await run();
    r.failNext({ kind: 'invalid', errors: ['Message can not be empty.'] });
    await a.post(falcoAlertJson(1));
    await settle(() => a.deadLetters.size() === 1, '1 dead-lettered');
    expect(a.deadLetters.list()[0]?.detail).toMatch(/^HTTP 422: Request body is not processable\. Please check the errors\. \(message: Message can not be empty\.\) \[requestId [0-9a-f-]{36}\]$/);
    expect(r.requests).toHaveLength(1);
  });

  it('402 (the plan does not allow it): dead-lettered, not retried', async () => {
    const { app: a, og: r } = await run();
    r.failAlways({ kind: 'status', status: 402 });
    await a.post(falcoAlertJson(1));
    await settle(() => a.deadLetters.size() === 1, '1 dead-lettered');
    expect(a.deadLetters.list()[0]).toMatchObject({ attempts: 1, detail: expect.stringMatching(/^HTTP 402: /) });
  });

  it('a 1,000-character output is cut to Opsgenie\'s 130 for the message, never refused for length', async () => {
    const { app: a, og: r } = await run();
    await a.post(falcoAlertJson(1).replace(/"output":"[^"]*"/, `"output":"${'x'.repeat(1000)}"`));
    await settle(async () => (await delivered(a)) === 1, '1 delivered');
    expect(r.invalid).toEqual([]);
    expect(r.acceptedJson<CreateAlert>()[0]).toMatchObject({ message: `${'x'.repeat(129)}…`, description: 'x'.repeat(1000) });
  });

  it('a key echoed in an error never reaches a reason', async () => {
    const { app: a, og: r } = await run();
    r.failNext({ kind: 'invalid', errors: [`key ${KEY} may not create alerts`] });
    await a.post(falcoAlertJson(1));
    await settle(() => a.deadLetters.size() === 1, '1 dead-lettered');
    expect(a.deadLetters.list()[0]?.detail).toContain('(message: key *** may not create alerts)');
  });
});

saasFaultMatrix({
  output: 'opsgenie',
  start: async () => {
    const { app: a, og: r } = await run();
    app = og = undefined; // the matrix stops them
    return { app: a, receiver: r, clock };
  },
  goneHint: '(no Alert API here: check opsgenie.apiurl / region)',
});
