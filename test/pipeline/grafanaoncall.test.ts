// The grafanaoncall output through the real app against a receiver that answers as Grafana OnCall's
// (Formatted) Webhook integration (engine/apps/integrations/views.py): 200 "Ok." (a JSON string) for
// any JSON body; 403 when the integration key in the URL is unknown (deleted integration).
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { FAST_RETRY, settled } from '../support/json-post.ts';
import { Receiver, type Behaviour, type Received } from '../support/receiver.ts';

let app: RunningApp | undefined;
let oncall: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  await oncall?.stop();
  app = oncall = undefined;
});

const KEY = 'Kq3xT0kenOfTheIntegration';

function oncallAnswer(req: Received): Behaviour {
  if (req.method !== 'POST' || req.url !== `/integrations/v1/formatted_webhook/${KEY}/`) return { kind: 'status', status: 403, body: '{"detail":"Integration key was not found. Permission denied."}' };
  try {
    JSON.parse(req.body);
  } catch {
    return { kind: 'status', status: 400, body: '{"detail":"JSON parse error"}' };
  }
  return { kind: 'ok', body: '"Ok."' };
}

async function run(count: number, key: string, extra = '') {
  oncall = await new Receiver().start();
  oncall.setBehaviour(oncallAnswer);
  app = await startApp(`grafanaoncall:\n  webhookurl: ${oncall.url(`/integrations/v1/formatted_webhook/${key}/`)}\n  customheaders:\n    X-Source: falco\n${FAST_RETRY}${extra}`);
  for (let i = 0; i < count; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  await settled(app, 'grafanaoncall', count);
  return { app, oncall };
}

describe('grafanaoncall pipeline', () => {
  it("posts falcosidekick's four fields (alert_uid, state, title, message) with the custom headers, one request per alert", async () => {
    const { app: a, oncall: o } = await run(2, KEY);
    expect(o.received).toHaveLength(2);
    const bodies = o.received.map((r) => r.body).sort();
    const output = '10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)';
    expect(bodies).toEqual([0, 1].map((i) => `{"alert_uid":"alert-${i}","state":"alerting","title":"[Notice] Terminal shell in container","message":"${output}"}`));
    for (const got of o.received) {
      expect(got.headers).toMatchObject({ 'content-type': 'application/json', 'x-source': 'falco' });
      expect(got.headers['idempotency-key']).toBeUndefined();
    }
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'grafanaoncall' })).toBe(2);
  });

  it('403 for an unknown integration key: held, then dead-lettered when retry.maxagems runs out', async () => {
    const { app: a, oncall: o } = await run(1, 'DeletedIntegrationKey', '    maxagems: 500\n');
    expect(o.attempts).toBeGreaterThan(1);
    const dead = a.deadLetters.list({ output: 'grafanaoncall' });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.reason).toBe('retry_budget');
    expect(dead[0]?.detail).toContain('HTTP 403: {"detail":"Integration key was not found. Permission denied."}');
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'grafanaoncall', reason: 'auth' })).toBeGreaterThan(0);
  });
});
