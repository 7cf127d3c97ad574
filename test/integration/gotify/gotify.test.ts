// gotify against a real Gotify server (v2.6.3, built from its Go module with a placeholder UI):
// each alert becomes one message of the test application, read back through Gotify's REST API with
// the title, text, priority and extras Gotify stored; a token Gotify does not know is its 401,
// held as refused credentials and never shown.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gotifySchema } from '../../../outputs/gotify/options.ts';
import { gotifyMessage } from '../../../outputs/gotify/payload.ts';
import { falcoAlertJson, priorityAlerts } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { FAST_RETRY, settled } from '../../support/json-post.ts';
import type { GotifyInfra } from '../../infra/gotify/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

interface Stored {
  title: string;
  message: string;
  priority: number;
  extras?: Record<string, unknown>;
}

describe.skipIf(infraSkipped('gotify'))('gotify against Gotify', () => {
  let gotify: GotifyInfra;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    gotify = await useInfra<GotifyInfra>('gotify');
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function start(token: string, extra = ''): Promise<RunningApp> {
    const app = await startApp(`gotify:\n  hostport: ${gotify.url}\n  token: "${token}"\n${FAST_RETRY}${extra}`);
    apps.push(app);
    return app;
  }
  /** The application's messages, oldest first. */
  async function stored(): Promise<Stored[]> {
    const auth = `Basic ${Buffer.from(`${gotify.user}:${gotify.password}`).toString('base64')}`;
    const res = await fetch(`${gotify.url}/application/${gotify.applicationId}/message?limit=200`, { headers: { authorization: auth } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { messages: Stored[] }).messages.reverse();
  }
  async function clear(): Promise<void> {
    const auth = `Basic ${Buffer.from(`${gotify.user}:${gotify.password}`).toString('base64')}`;
    await fetch(`${gotify.url}/application/${gotify.applicationId}/message`, { method: 'DELETE', headers: { authorization: auth } });
  }

  it('each alert of every priority is stored as the message falcosidekick builds (markdown), with its priority', async () => {
    await clear();
    const app = await start(gotify.token);
    const alerts = priorityAlerts();
    for (const alert of alerts) expect((await app.post(JSON.stringify({ ...alert, uuid: undefined }))).status).toBe(200);
    await settled(app, 'gotify', alerts.length);
    const options = gotifySchema.parse({ hostport: gotify.url, token: gotify.token });
    const got = await stored();
    expect(got.map((m) => m.title).sort()).toEqual(alerts.map((a) => gotifyMessage(a, options).title).sort());
    for (const alert of alerts) {
      const want = gotifyMessage(alert, options);
      const match = got.find((m) => m.title === want.title);
      expect(match).toMatchObject({ message: want.message, priority: want.priority, extras: want.extras });
    }
    expect(await metricValue(app, 'peregrine_delivered_total', { output: 'gotify' })).toBe(alerts.length);
  });

  it("a token Gotify does not know is its 401: held as refused credentials, dead-lettered when retry.maxagems runs out, the token never shown", async () => {
    await clear();
    const app = await start('AUnknownT0ken.x', '    maxagems: 800\n');
    expect((await app.post(falcoAlertJson(0))).status).toBe(200);
    await settled(app, 'gotify', 1);
    const dead = app.deadLetters.list({ output: 'gotify' });
    expect(dead.map((d) => d.reason)).toEqual(['retry_budget']);
    expect(dead[0]?.detail).toContain('401');
    expect(JSON.stringify(dead)).not.toContain('AUnknownT0ken');
    expect(await metricValue(app, 'peregrine_retries_total', { output: 'gotify', reason: 'auth' })).toBeGreaterThan(0);
    expect(await stored()).toHaveLength(0);
  });
});
