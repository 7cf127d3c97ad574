// The grafana output through the real app against a receiver that answers as Grafana's annotations
// API (pkg/api/annotations.go, PostAnnotation): POST /api/annotations with a Bearer service account
// token; 200 {"message":"Annotation added","id":N}; 401 for an unknown token; 403 without
// annotations:create; 400 for a body it cannot bind or an empty text. Grafana itself is AGPL: no
// real server in the tests.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { FAST_RETRY, settled } from '../support/json-post.ts';
import { Receiver, type Behaviour, type Received } from '../support/receiver.ts';

let app: RunningApp | undefined;
let grafana: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  await grafana?.stop();
  app = grafana = undefined;
});

const TOKEN = 'glsa_ServiceAccountT0ken';
const READ_ONLY = 'glsa_ViewerT0ken';

/** The fields of Grafana's PostAnnotationsCmd and their JSON types. */
const FIELDS: Record<string, string> = { dashboardId: 'number', dashboardUID: 'string', panelId: 'number', time: 'number', timeEnd: 'number', tags: 'object', text: 'string' };

let nextId = 0;
function grafanaAnswer(req: Received): Behaviour {
  if (req.method !== 'POST' || req.url !== '/grafana/api/annotations') return { kind: 'status', status: 404, body: '{"message":"Not found"}' };
  const token = req.headers.authorization;
  if (token !== `Bearer ${TOKEN}` && token !== `Bearer ${READ_ONLY}`) {
    return { kind: 'status', status: 401, body: '{"extra":null,"message":"Invalid API key","messageId":"api-key.invalid","statusCode":401,"traceID":""}' };
  }
  if (token === `Bearer ${READ_ONLY}`) {
    return { kind: 'status', status: 403, body: '{"accessErrorId":"ACE0123456789","message":"You\'ll need additional permissions to perform this action. Permissions needed: annotations:create","title":"Access denied"}' };
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body) as Record<string, unknown>;
  } catch {
    return { kind: 'status', status: 400, body: '{"message":"bad request data"}' };
  }
  const wrongType = Object.entries(body).some(([k, v]) => FIELDS[k] !== undefined && typeof v !== FIELDS[k]);
  const badTags = !Array.isArray(body.tags) || body.tags.some((t) => typeof t !== 'string');
  if (wrongType || badTags) return { kind: 'status', status: 400, body: '{"message":"bad request data"}' };
  if (body.text === '') return { kind: 'status', status: 400, body: '{"message":"Failed to save annotation","error":"text field should not be empty"}' };
  return { kind: 'ok', body: JSON.stringify({ message: 'Annotation added', id: ++nextId }) };
}

async function run(alerts: string[], token: string, extra = '') {
  grafana = await new Receiver().start();
  grafana.setBehaviour(grafanaAnswer);
  app = await startApp(`grafana:\n  hostport: ${grafana.url('/grafana/')}\n  apikey: ${token}\n  dashboardid: 7\n  customheaders:\n    X-Grafana-Org-Id: "2"\n${FAST_RETRY}${extra}`);
  for (const alert of alerts) expect((await app.post(alert)).status).toBe(200);
  await settled(app, 'grafana', alerts.length);
  return { app, grafana };
}

describe('grafana pipeline', () => {
  it("writes falcosidekick's annotation with the token and the custom headers, one request per alert", async () => {
    const { app: a, grafana: g } = await run([falcoAlertJson(0), falcoAlertJson(1)], TOKEN);
    expect(g.received).toHaveLength(2);
    // The alert's time (2026-11-20T10:21:36.167531875Z) in milliseconds.
    const output = '10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)';
    const expected = `{"dashboardId":7,"time":1795170096167,"timeEnd":1795170096167,"tags":["falco","Notice","Terminal shell in container","syscall","node-1"],"text":"${output}"}`;
    expect(g.received.map((r) => r.body)).toEqual([expected, expected]);
    for (const got of g.received) {
      expect(got.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-grafana-org-id': '2' });
    }
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'grafana' })).toBe(2);
  });

  it('401 for an unknown token and 403 without annotations:create: held as auth failures, then dead-lettered when retry.maxagems runs out', async () => {
    for (const [token, answer] of [
      ['glsa_RevokedT0ken', 'HTTP 401: {"extra":null,"message":"Invalid API key"'],
      [READ_ONLY, 'HTTP 403: {"accessErrorId":"ACE0123456789"'],
    ] as const) {
      const { app: a, grafana: g } = await run([falcoAlertJson(0)], token, '    maxagems: 500\n');
      expect(g.attempts).toBeGreaterThan(1);
      const dead = a.deadLetters.list({ output: 'grafana' });
      expect(dead.map((d) => d.reason)).toEqual(['retry_budget']);
      expect(dead[0]?.detail).toContain(answer);
      expect(dead[0]?.detail).not.toContain(token);
      expect(await metricValue(a, 'peregrine_retries_total', { output: 'grafana', reason: 'auth' })).toBeGreaterThan(0);
      await a.close();
      await g.stop();
      app = grafana = undefined;
    }
  });

  it('400 for an alert Grafana refuses (an empty output text): dead-lettered at once with Grafana\'s reason', async () => {
    const empty = JSON.stringify({ ...(JSON.parse(falcoAlertJson(0)) as object), output: '' });
    const { app: a, grafana: g } = await run([empty], TOKEN);
    expect(g.attempts).toBe(1);
    const dead = a.deadLetters.list({ output: 'grafana' });
    expect(dead.map((d) => d.reason)).toEqual(['rejected']);
    expect(dead[0]?.detail).toContain('text field should not be empty');
  });
});
