// Falco alerts through the real app to a recording Gotify server (POST /message; Gotify's server
// cannot be built here): each alert one message with falcosidekick's title, priority and markdown,
// the application token in X-Gotify-Key, a hostport with a sub-path; a refused token holds the
// alerts until Gotify takes it; a wrong path dead-letters; a proxy's 503 is retried.
import { afterEach, describe, expect, it } from 'vitest';
import { gotifySchema } from '../../outputs/gotify/options.ts';
import { gotifyMessage } from '../../outputs/gotify/payload.ts';
import { falcoAlertJson, testAlerts } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { advanceWhenIdle, FakeClock } from '../support/fake-clock.ts';
import { GOTIFY_NOT_FOUND, GOTIFY_UNAUTHORIZED, GotifyReceiver, gotifyError } from '../support/gotify-receiver.ts';
import { falcosidekickHeaders } from '../support/falcosidekick-notify.ts';
import { watchOutbound } from '../support/outbound.ts';
import type { VendorAnswer } from '../support/vendor-receiver.ts';
import { PRIORITIES } from '../../src/plugin/index.ts';

let app: RunningApp | undefined;
let gotify: GotifyReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await gotify?.stop();
  app = gotify = undefined;
});

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'gotify' });
const deadLettered = (a: RunningApp) => metricValue(a, 'peregrine_dead_lettered_total', { output: 'gotify' });

async function run(alerts: string[], script: VendorAnswer[] = [], extra = '') {
  const clock = new FakeClock();
  const outbound = watchOutbound();
  gotify = await new GotifyReceiver(() => clock.now(), { base: '/gotify' }).start();
  gotify.script(...script);
  app = await startApp(`gotify:\n  hostport: ${gotify.url}/\n  token: "${gotify.token}"\n${extra}`, { clock });
  for (const alert of alerts) expect((await app.post(alert)).status).toBe(200);
  const a = app;
  await advanceWhenIdle(clock, () => outbound.inFlight() > 0, async () => (await delivered(a)) + (await deadLettered(a)) === alerts.length, `${alerts.length} alerts settled`, 100);
  return { app: a, gotify };
}

describe('gotify pipeline', () => {
  it('one message per alert, every priority: falcosidekick\'s body, the token in X-Gotify-Key, <hostport>/message under its sub-path', async () => {
    const priorities = [...PRIORITIES];
    const { app: a, gotify: g } = await run(priorities.map((p) => falcoAlertJson(0, p)));
    expect(g.violations).toEqual([]);
    expect(g.requests.map((r) => [r.method, r.url, r.headers['x-gotify-key'], r.headers['content-type']])).toEqual(priorities.map(() => ['POST', '/gotify/message', g.token, falcosidekickHeaders('gotify')['content-type']]));
    const options = gotifySchema.parse({ hostport: 'http://x', token: 't' });
    expect(g.requests.map((r) => r.body).sort()).toEqual(priorities.map((p) => JSON.stringify(gotifyMessage(testAlerts(1, {}, p)[0]!, options))).sort());
    expect(await delivered(a)).toBe(priorities.length);
  });

  it('batch.maxevents set: still one message per alert, each alert its own outcome', async () => {
    const { app: a, gotify: g } = await run([0, 1, 2, 3, 4].map((i) => falcoAlertJson(i)), [], '  batch:\n    maxevents: 5\n    flushms: 50\n');
    expect(g.requests).toHaveLength(5);
    expect(g.requests.map((r) => (JSON.parse(r.body) as { message: string }).message).every((m) => m.length > 0)).toBe(true);
    expect(await delivered(a)).toBe(5);
  });

  it('401 (the token deleted in Gotify): held as refused credentials, delivered once Gotify takes it again', async () => {
    const { app: a, gotify: g } = await run([falcoAlertJson(0)], [GOTIFY_UNAUTHORIZED, GOTIFY_UNAUTHORIZED]);
    expect(g.requests.map((r) => r.answer.status)).toEqual([401, 401, 200]);
    expect(await delivered(a)).toBe(1);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'gotify', reason: 'auth' })).toBe(2);
  });

  it('a proxy\'s 503 is retried; 404 (no Gotify API at that path) dead-letters, the token never shown', async () => {
    const { app: a, gotify: g } = await run([falcoAlertJson(0), falcoAlertJson(1)], [gotifyError(503, 'Service Unavailable', 'upstream down'), GOTIFY_NOT_FOUND], '  maxconcurrency: 1\n');
    expect(g.requests.map((r) => r.answer.status).sort()).toEqual([200, 404, 503]);
    expect(await delivered(a)).toBe(1);
    const dead = a.deadLetters.list({ output: 'gotify' });
    expect(dead.map((d) => d.detail)).toEqual(['Gotify answered 404: page not found (no Gotify API at gotify.hostport; check its path) (alerts kept in the dead-letter store)']);
    expect(JSON.stringify(dead)).not.toContain(g.token);
  });
});
