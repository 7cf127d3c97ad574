// nodered against a real Node-RED (4.1.15, npm): its `http in` node behind httpNodeAuth, a flow that
// writes what it got (msg.payload, msg.req.headers) to a file, and its `http response` node. Several
// alerts reach the flow as falcosidekick's body, with basic auth; and a wrong password is Node-RED's
// own 401: the output holds the alerts as refused credentials (retries with reason auth), loses none,
// dead-letters none, and delivers them once the password is right.
import { readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { basic, falcosidekickBody, FAST_RETRY } from '../../support/json-post.ts';
import { waitFor } from '../../support/receiver.ts';
import type { NodeRedInfra, NodeRedReceived } from '../../infra/nodered/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

/** What the flows wrote for the alerts alert-<i> of `indexes` (probes and other tests left out), by index. */
function received(nr: NodeRedInfra, indexes: readonly number[]): Map<number, NodeRedReceived> {
  const wanted = new Map(indexes.map((i) => [`alert-${i}`, i]));
  const byIndex = new Map<number, NodeRedReceived>();
  for (const line of readFileSync(nr.received, 'utf8').split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line) as NodeRedReceived;
    const body = typeof r.payload === 'string' ? (JSON.parse(r.payload) as { uuid?: string }) : (r.payload as { uuid?: string });
    const i = wanted.get(body.uuid ?? '');
    if (i === undefined) continue;
    expect(byIndex.has(i), `alert-${i} reached the flow twice`).toBe(false);
    byIndex.set(i, r);
  }
  return byIndex;
}

/** Alert indexes of their own for one test: the file is shared by every test (and run) on this server. */
function indexes(count: number): number[] {
  const base = randomInt(1_000_000, 1_000_000_000);
  return Array.from({ length: count }, (_, k) => base + k);
}

describe.skipIf(infraSkipped('nodered'))('nodered against Node-RED', () => {
  let nr: NodeRedInfra;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    nr = await useInfra<NodeRedInfra>('nodered');
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  function yaml(path: string, password: string): string {
    return `nodered:\n  address: ${nr.url}${path}\n  user: ${nr.user}\n  password: ${password}\n${FAST_RETRY}`;
  }
  async function start(path: string, password: string): Promise<RunningApp> {
    const app = await startApp(yaml(path, password));
    apps.push(app);
    return app;
  }
  async function post(app: RunningApp, idx: readonly number[]): Promise<void> {
    for (const i of idx) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  }
  const health = (app: RunningApp) => app.workers.find((w) => w.name === 'nodered')?.healthSnapshot();

  it('several alerts: each flow gets falcosidekick\'s alert as msg.payload, with basic auth, our content type, user agent and idempotency key', async () => {
    const idx = indexes(5);
    const app = await start(nr.parsedPath, nr.password);
    await post(app, idx);
    await waitFor(() => health(app)?.delivered === 5, 20_000, 'five delivered');
    const got = received(nr, idx);
    expect([...got.keys()].sort()).toEqual([...idx].sort());
    for (const i of idx) {
      const r = got.get(i) as NodeRedReceived;
      expect(r.route).toBe('falco');
      // Node-RED parsed the body with JSON.parse: what a flow sees is falcosidekick's body parsed the
      // same way (evt.time, beyond 2^53, is rounded in msg.payload; the raw-body test checks the digits).
      expect(r.payload).toEqual(JSON.parse(falcosidekickBody(i)));
      expect(r.headers).toMatchObject({
        authorization: basic(nr.user, nr.password),
        'content-type': 'application/json; charset=utf-8',
        'user-agent': expect.stringMatching(/^peregrine\//),
        'idempotency-key': `alert-${i}`,
      });
    }
    expect(health(app)).toMatchObject({ delivered: 5, deadLettered: 0, consecutiveFailures: 0, state: 'ok' });
    expect(await metricValue(app, 'peregrine_retries_total', { output: 'nodered' })).toBe(0);
  });

  it('"Accept raw body": the bytes Node-RED received are falcosidekick\'s body exactly, every digit of evt.time included', async () => {
    const idx = indexes(3);
    const app = await start(nr.rawPath, nr.password);
    await post(app, idx);
    await waitFor(() => health(app)?.delivered === 3, 20_000, 'three delivered');
    const got = received(nr, idx);
    for (const i of idx) expect(got.get(i)?.payload).toBe(falcosidekickBody(i));
  });

  it('a wrong password: Node-RED\'s 401, the alerts held as refused credentials, none lost or dead-lettered; delivered once it is right', async () => {
    const idx = indexes(3);
    const app = await start(nr.parsedPath, 'not-the-password');
    await post(app, idx);
    // Several refusals (the first send and at least two retries), then a look at what is held.
    await waitFor(async () => (await metricValue(app, 'peregrine_retries_total', { output: 'nodered', reason: 'auth' })) >= 3, 10_000, 'auth retries');
    expect(health(app)).toMatchObject({
      state: 'failing',
      delivered: 0,
      deadLettered: 0,
      dropped: 0,
      lastError: expect.stringMatching(/401.*credentials refused/),
    });
    const h = health(app);
    expect((h?.queued ?? 0) + (h?.inflight ?? 0)).toBe(3);
    expect(app.deadLetters.size()).toBe(0);
    expect(received(nr, idx).size).toBe(0);

    app.rewrite(yaml(nr.parsedPath, nr.password));
    expect((await app.reloader.reload('api')).ok).toBe(true);
    await waitFor(async () => (await metricValue(app, 'peregrine_delivered_total', { output: 'nodered' })) === 3, 20_000, 'the three held delivered');
    const got = received(nr, idx);
    expect([...got.keys()].sort()).toEqual([...idx].sort());
    for (const i of idx) expect(got.get(i)?.payload).toEqual(JSON.parse(falcosidekickBody(i)));
    expect(await metricValue(app, 'peregrine_dead_lettered_total', { output: 'nodered' })).toBe(0);
  });
});
