// The n8n output through the real app against a receiver that answers as n8n's Webhook trigger node
// (POST /webhook/falco): 200 {"message":"Workflow was started"}; with Header Auth, 403
// "Authorization data is wrong!" for a missing or wrong header; with Basic Auth, 401 without
// credentials and 403 for wrong ones; 404 while the workflow is not active.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { basic, FAST_RETRY, falcosidekickBody, settled } from '../support/json-post.ts';
import { Receiver, type Behaviour, type Received } from '../support/receiver.ts';

let app: RunningApp | undefined;
let n8n: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  await n8n?.stop();
  app = n8n = undefined;
});

type Auth = { header: [string, string] } | { basic: [string, string] };
interface Workflow {
  active: boolean;
  auth: Auth;
}

const authError = (status: number, message: string): Behaviour => ({ kind: 'status', status, headers: { 'www-authenticate': 'Basic realm="Webhook"', 'content-type': 'text/plain' }, body: message });

/** n8n's answer for a Webhook node on POST /webhook/falco. */
function n8nAnswer(req: Received, workflow: Workflow): Behaviour {
  if (!workflow.active || req.url !== '/webhook/falco') {
    return { kind: 'status', status: 404, body: JSON.stringify({ code: 404, message: `The requested webhook "${req.method} ${req.url.replace(/^\/webhook\//, '')}" is not registered.`, hint: 'The workflow must be active for a production URL to run successfully.' }) };
  }
  if ('header' in workflow.auth) {
    const [name, value] = workflow.auth.header;
    if (req.headers[name.toLowerCase()] !== value) return authError(403, 'Authorization data is wrong!');
  } else {
    const [user, password] = workflow.auth.basic;
    if (!req.headers.authorization) return authError(401, 'Authorization is required!');
    if (req.headers.authorization !== basic(user, password)) return authError(403, 'Authorization data is wrong!');
  }
  return { kind: 'ok', body: '{"message":"Workflow was started"}' };
}

async function run(count: number, keys: string, workflow: (attempt: number) => Workflow, extra = '') {
  n8n = await new Receiver().start();
  n8n.setBehaviour((req, attempt) => n8nAnswer(req, workflow(attempt)));
  app = await startApp(`n8n:\n  address: ${n8n.url('/webhook/falco')}\n${keys}${FAST_RETRY}${extra}`);
  for (let i = 0; i < count; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  await settled(app, 'n8n', count);
  return { app, n8n };
}

const headerAuth = '  headerauthname: X-N8N-Auth\n  headerauthvalue: h3ader-secret\n';
const active = (auth: Auth): Workflow => ({ active: true, auth });

describe('n8n pipeline', () => {
  it("posts falcosidekick's body with the header auth; the workflow starts for each alert", async () => {
    const { app: a, n8n: n } = await run(3, headerAuth, () => active({ header: ['X-N8N-Auth', 'h3ader-secret'] }));
    expect(n.received).toHaveLength(3);
    const byUuid = new Map(n.received.map((r) => [JSON.parse(r.body).uuid as string, r]));
    for (let i = 0; i < 3; i++) {
      const got = byUuid.get(`alert-${i}`);
      expect(got?.method).toBe('POST');
      expect(got?.body).toBe(falcosidekickBody(i));
      expect(got?.headers).toMatchObject({ 'x-n8n-auth': 'h3ader-secret', 'content-type': 'application/json; charset=utf-8', 'idempotency-key': `alert-${i}` });
      expect(got?.headers.authorization).toBeUndefined();
    }
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'n8n' })).toBe(3);
  });

  it('basic auth: user and password sent as "Authorization: Basic …"', async () => {
    const { n8n: n } = await run(1, '  user: falco\n  password: b4sic-pw\n', () => active({ basic: ['falco', 'b4sic-pw'] }));
    expect(n.received.map((r) => [r.body, r.headers.authorization])).toEqual([[falcosidekickBody(0), basic('falco', 'b4sic-pw')]]);
  });

  it('403 "Authorization data is wrong!": held as refused credentials, delivered once the credential matches', async () => {
    const { app: a, n8n: n } = await run(1, headerAuth, (attempt) => active({ header: ['X-N8N-Auth', attempt < 3 ? 'rotated' : 'h3ader-secret'] }));
    expect(n.attempts).toBe(4);
    expect(n.received.map((r) => r.body)).toEqual([falcosidekickBody(0)]);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'n8n', reason: 'auth' })).toBeGreaterThan(0);
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'n8n' })).toBe(1);
  });

  it('404 while the workflow is inactive: held as n8n\'s own state, delivered once it is active again', async () => {
    const { app: a, n8n: n } = await run(2, headerAuth, (attempt) => ({ active: attempt >= 3, auth: { header: ['X-N8N-Auth', 'h3ader-secret'] } }));
    expect(n.attempts).toBeGreaterThan(3);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'n8n', reason: 'auth' })).toBeGreaterThan(0);
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'n8n' })).toBe(2);
    expect(a.deadLetters.list({ output: 'n8n' })).toEqual([]);
  });

  it('404 for an inactive workflow that stays inactive: dead-lettered with n8n\'s reason when retry.maxagems runs out', async () => {
    const { app: a } = await run(2, headerAuth, () => ({ active: false, auth: { header: ['X-N8N-Auth', 'h3ader-secret'] } }), '    maxagems: 1500\n');
    const dead = a.deadLetters.list({ output: 'n8n' });
    expect(dead.map((d) => d.alert.uuid).sort()).toEqual(['alert-0', 'alert-1']);
    for (const entry of dead) expect(entry.detail).toContain('HTTP 404: {"code":404,"message":"The requested webhook \\"POST falco\\" is not registered."');
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'n8n' })).toBe(0);
  });
});
