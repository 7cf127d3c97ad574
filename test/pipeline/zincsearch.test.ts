// The zincsearch output through the real app against a stand-in that answers as ZincSearch's
// handlers do (test/support/zincsearch-receiver.ts): the documents stored, exact; a ZincSearch whose
// write-ahead log fails (500) retried until it stores; a role without document.Create (403) and a
// wrong password (401) holding the alerts, the output failing, until the config is right.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { basic, FAST_RETRY, falcosidekickBody, settled } from '../support/json-post.ts';
import { waitFor } from '../support/receiver.ts';
import { startZincSearch, type ZincSearchStandIn } from '../support/zincsearch-receiver.ts';

let app: RunningApp | undefined;
let zinc: ZincSearchStandIn | undefined;
afterEach(async () => {
  await app?.close();
  await zinc?.receiver.stop();
  app = zinc = undefined;
});

const USERS = { admin: { password: 'Complexpass#123', canCreate: true }, viewer: { password: 'v', canCreate: false } };

async function run(user: string, password: string, count: number) {
  zinc = await startZincSearch(USERS);
  app = await startApp(`zincsearch:\n  hostport: ${zinc.receiver.url('')}\n  index: falco-alerts\n  username: ${user}\n  password: "${password}"\n${FAST_RETRY}`);
  for (let i = 0; i < count; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  return { app, zinc };
}

describe('zincsearch pipeline', () => {
  it("POSTs falcosidekick's body to /api/<index>/_doc with basic auth; ZincSearch stores each alert once", async () => {
    const { app: a, zinc: z } = await run('admin', 'Complexpass#123', 3);
    await settled(a, 'zincsearch', 3);
    expect(z.receiver.received.map((r) => [r.method, r.url, r.headers.authorization, r.headers['content-type']])).toEqual(
      Array.from({ length: 3 }, () => ['POST', '/api/falco-alerts/_doc', basic('admin', 'Complexpass#123'), 'application/json; charset=utf-8']),
    );
    const bodies = z.receiver.received.map((r) => r.body).sort();
    expect(bodies).toEqual([0, 1, 2].map(falcosidekickBody).sort());
    expect(z.stored.get('falco-alerts')).toHaveLength(3);
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'zincsearch' })).toBe(3);
  });

  it('500 while its write-ahead log fails: retried, then stored once', async () => {
    zinc = await startZincSearch(USERS);
    zinc.failing = 'write wal: no space left on device';
    app = await startApp(`zincsearch:\n  hostport: ${zinc.receiver.url('')}\n  username: admin\n  password: "Complexpass#123"\n${FAST_RETRY}`);
    expect((await app.post(falcoAlertJson(0))).status).toBe(200);
    await waitFor(() => zinc!.receiver.attempts >= 2, 10_000, 'two refused attempts');
    expect(zinc.stored.size).toBe(0);
    zinc.failing = undefined;
    await settled(app, 'zincsearch', 1);
    expect(zinc.stored.get('falco')?.map((d) => d.uuid)).toEqual(['alert-0']);
    expect(await metricValue(app, 'peregrine_dead_lettered_total', { output: 'zincsearch' })).toBe(0);
  });

  it.each([
    ['a role without document.Create (403)', 'viewer', 'v', /No permission:document\.Create/],
    ['a wrong password (401)', 'admin', 'wrong', /Invalid credentials/],
  ])('%s: the alert is held, the output failing, nothing dead-lettered', async (_name, user, password, reason) => {
    const { app: a, zinc: z } = await run(user, password, 1);
    const worker = a.workers.find((w) => w.name === 'zincsearch');
    await waitFor(() => (worker?.healthSnapshot().consecutiveFailures ?? 0) >= 2, 10_000, 'refused attempts');
    expect(worker?.healthSnapshot()).toMatchObject({ delivered: 0, deadLettered: 0, lastError: expect.stringMatching(reason) });
    expect(z.stored.size).toBe(0);
  });
});
