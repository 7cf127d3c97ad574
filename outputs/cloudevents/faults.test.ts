// The cloudevents output inside the real app against a CloudEvents consumer in binary mode
// (test/support/cloudevents-receiver.ts, answering as a Knative broker's ingress): every event valid
// by the spec, non-ASCII attribute values arriving as their UTF-8 bytes, and the answers classified.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { ceAttributes, startCloudEventsReceiver } from '../../test/support/cloudevents-receiver.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { falcosidekickBody } from '../../test/support/json-post.ts';
import { saasFaultMatrix } from '../../test/support/saas-faults.ts';
import type { SaasReceiver } from '../../test/support/saas-receiver.ts';

let app: RunningApp | undefined;
let broker: SaasReceiver | undefined;
let clock = new FakeClock();
let settle: ReturnType<typeof settler>;
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  await broker?.stop();
  app = broker = undefined;
});

async function run(extra = ''): Promise<{ app: RunningApp; broker: SaasReceiver }> {
  clock = new FakeClock();
  broker = await startCloudEventsReceiver(() => clock.now());
  app = await startApp(`cloudevents:\n  address: ${broker.url('/falco/default')}\n  timeoutms: 10000\n${extra}  retry:\n    initialbackoffms: 20\n    maxbackoffms: 500\n`, { healthIntervalMs: 100, clock });
  settle = settler(clock, app);
  return { app, broker };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'cloudevents' });

describe('cloudevents: a binary-mode consumer', () => {
  it('202: one event per alert, the alert JSON as data, every attribute as falcosidekick sets it', async () => {
    const { app: a, broker: r } = await run('  extensions:\n    env: prod\n');
    await a.post(falcoAlertJson(1));
    await settle(async () => (await delivered(a)) === 1, 'delivered');
    expect(r.invalid).toEqual([]);
    expect(r.accepted[0]?.body).toBe(falcosidekickBody(1));
    expect(r.accepted[0]?.headers['content-type']).toBe('application/json');
    expect(ceAttributes(r.accepted[0]!)).toEqual({
      specversion: '1.0',
      id: 'alert-1',
      source: 'https://falco.org',
      type: 'falco.rule.output.v1',
      time: '2026-11-20T10:21:36.167531875Z',
      priority: 'Notice',
      rule: 'Terminal shell in container',
      eventsource: 'syscall',
      hostname: 'node-1',
      env: 'prod',
    });
  });

  it('a rule and an extension in other scripts arrive as their UTF-8 text', async () => {
    const { app: a, broker: r } = await run('  extensions:\n    team: "sécurité 安全"\n');
    await a.post(falcoAlertJson(1).replace('"rule":"Terminal shell in container"', '"rule":"Écriture sous /etc — 書き込み"'));
    await settle(async () => (await delivered(a)) === 1, 'delivered');
    expect(r.invalid).toEqual([]);
    expect(ceAttributes(r.accepted[0]!)).toMatchObject({ rule: 'Écriture sous /etc — 書き込み', team: 'sécurité 安全' });
  });

  it('a retried alert is sent with the same ce-id (a consumer can drop the duplicate)', async () => {
    const { app: a, broker: r } = await run();
    r.failNext({ kind: 'unavailable', status: 503 });
    await a.post(falcoAlertJson(7));
    await settle(async () => (await delivered(a)) === 1, 'delivered');
    expect(r.requests.map((q) => q.headers['ce-id'])).toEqual(['alert-7', 'alert-7']);
  });

  it('400 (an event the consumer cannot read): dead-lettered at once with its answer', async () => {
    const { app: a, broker: r } = await run();
    r.failNext({ kind: 'invalid', errors: ['unsupported data'] });
    await a.post(falcoAlertJson(1));
    await settle(() => a.deadLetters.size() === 1, '1 dead-lettered');
    expect(a.deadLetters.list()[0]).toMatchObject({ output: 'cloudevents', reason: 'rejected', attempts: 1, detail: 'HTTP 400: {"msg":"failed to read the event","errors":["unsupported data"]}' });
  });
});

saasFaultMatrix({
  output: 'cloudevents',
  start: async () => {
    const { app: a, broker: r } = await run();
    app = broker = undefined; // the matrix stops them
    return { app: a, receiver: r, clock };
  },
  goneHint: "(no consumer here: check cloudevents.address, e.g. the broker's namespace and name)",
});
