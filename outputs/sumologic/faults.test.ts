// The sumologic output inside the real app against the HTTP source stand-in (test/support/
// sumologic-receiver.ts): the alert JSON as the webhook sends it with the X-Sumo-* headers, and
// each documented answer classified (200, 401, 429, 503, 504).
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { falcosidekickBody } from '../../test/support/json-post.ts';
import { saasFaultMatrix } from '../../test/support/saas-faults.ts';
import type { SaasReceiver } from '../../test/support/saas-receiver.ts';
import { startSumoReceiver } from '../../test/support/sumologic-receiver.ts';

const TOKEN = 'ZaVnC4dhaV2ZZls3Ty5sTUbAe9Ho0dUuvaXKlHCUM8Hx_Xm1oVtrVTw==';
let app: RunningApp | undefined;
let sumo: SaasReceiver | undefined;
let clock = new FakeClock();
let settle: ReturnType<typeof settler>;
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  await sumo?.stop();
  app = sumo = undefined;
});

async function run(token = TOKEN, extra = ''): Promise<{ app: RunningApp; sumo: SaasReceiver }> {
  clock = new FakeClock();
  sumo = await startSumoReceiver(TOKEN, () => clock.now());
  app = await startApp(
    `sumologic:\n  receiverurl: ${sumo.url(`/receiver/v1/http/${token}`)}\n  timeoutms: 10000\n${extra}  retry:\n    initialbackoffms: 20\n    maxbackoffms: 500\n`,
    { healthIntervalMs: 100, clock },
  );
  settle = settler(clock, app);
  return { app, sumo };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'sumologic' });

describe('sumologic: HTTP source answers', () => {
  it('200: the alert JSON, one request per alert, with X-Sumo-Category, X-Sumo-Host and X-Sumo-Name', async () => {
    const { app: a, sumo: r } = await run(TOKEN, '  sourcecategory: security/falco\n  sourcehost: cluster-1\n  name: falco\n');
    for (let i = 0; i < 2; i++) await a.post(falcoAlertJson(i));
    await settle(async () => (await delivered(a)) === 2, '2 delivered');
    expect(r.invalid).toEqual([]);
    expect(r.accepted.map((q) => q.body).sort()).toEqual([falcosidekickBody(0), falcosidekickBody(1)]);
    for (const q of r.accepted) {
      expect(q.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'x-sumo-category': 'security/falco', 'x-sumo-host': 'cluster-1', 'x-sumo-name': 'falco' });
    }
  });

  it('no X-Sumo-* header when the keys are empty (the source keeps its own)', async () => {
    const { app: a, sumo: r } = await run();
    await a.post(falcoAlertJson(1));
    await settle(async () => (await delivered(a)) === 1, 'delivered');
    expect(Object.keys(r.accepted[0]?.headers ?? {}).filter((h) => h.startsWith('x-sumo-'))).toEqual([]);
  });

  it('401 for a token the source does not have: the output is failing, the alert held', async () => {
    const { app: a, sumo: r } = await run('WrongToken');
    await a.post(falcoAlertJson(1));
    await settle(() => a.workers.find((w) => w.name === 'sumologic')?.healthSnapshot().state === 'failing', 'failing');
    expect(r.accepted).toHaveLength(0);
    expect(a.deadLetters.size()).toBe(0);
    const health = (await (await fetch(`${a.url}/healthz`)).json()) as { outputs: Record<string, { lastError: string }> };
    expect(health.outputs.sumologic?.lastError).toContain('check sumologic.receiverurl');
    expect(health.outputs.sumologic?.lastError).not.toContain('WrongToken');
  });

  it('504 then 200: retried, delivered once', async () => {
    const { app: a, sumo: r } = await run();
    r.failNext({ kind: 'unavailable', status: 504 });
    await a.post(falcoAlertJson(1));
    await settle(async () => (await delivered(a)) === 1, 'delivered');
    expect(r.requests).toHaveLength(2);
    expect(r.accepted).toHaveLength(1);
  });
});

saasFaultMatrix({
  output: 'sumologic',
  start: async () => {
    const { app: a, sumo: r } = await run();
    app = sumo = undefined; // the matrix stops them
    return { app: a, receiver: r, clock };
  },
  goneHint: '(no HTTP source here: check sumologic.receiverurl)',
});
