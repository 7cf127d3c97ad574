// The nodered output through the real app against a receiver that answers as a Node-RED `http in`
// node (POST /falco) with its `http response` node: any JSON taken, 200; with httpNodeAuth set, 401
// "Unauthorized" and a Basic challenge when the credentials are missing or wrong.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { basic, FAST_RETRY, falcosidekickBody, settled } from '../support/json-post.ts';
import { Receiver, type Behaviour, type Received } from '../support/receiver.ts';

let app: RunningApp | undefined;
let nodered: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  await nodered?.stop();
  app = nodered = undefined;
});

/** Node-RED's answer with httpNodeAuth {user: "falco", pass: <password>}. */
function noderedAnswer(req: Received, password: string): Behaviour {
  if (req.headers.authorization !== basic('falco', password)) return { kind: 'status', status: 401, headers: { 'www-authenticate': 'Basic realm="Authorization Required"', 'content-type': 'text/plain' }, body: 'Unauthorized' };
  if (req.url !== '/falco' || req.method !== 'POST') return { kind: 'status', status: 404, body: `Cannot ${req.method} ${req.url}` };
  try {
    JSON.parse(req.body);
  } catch {
    return { kind: 'status', status: 400, body: 'Bad Request' };
  }
  return { kind: 'ok', body: '' };
}

async function run(count: number, serverPassword: (attempt: number) => string) {
  nodered = await new Receiver().start();
  nodered.setBehaviour((req, attempt) => noderedAnswer(req, serverPassword(attempt)));
  app = await startApp(`nodered:\n  address: ${nodered.url('/falco')}\n  user: falco\n  password: pa55word\n  customheaders:\n    X-Source: falco\n${FAST_RETRY}`);
  for (let i = 0; i < count; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  await settled(app, 'nodered', count);
  return { app, nodered };
}

describe('nodered pipeline', () => {
  it("posts falcosidekick's body with basic auth and the custom headers; Node-RED takes each", async () => {
    const { app: a, nodered: n } = await run(3, () => 'pa55word');
    expect(n.received).toHaveLength(3);
    const byUuid = new Map(n.received.map((r) => [JSON.parse(r.body).uuid as string, r]));
    for (let i = 0; i < 3; i++) {
      const got = byUuid.get(`alert-${i}`);
      expect(got?.body).toBe(falcosidekickBody(i));
      expect(got?.headers).toMatchObject({ authorization: basic('falco', 'pa55word'), 'x-source': 'falco', 'content-type': 'application/json; charset=utf-8', 'idempotency-key': `alert-${i}` });
    }
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'nodered' })).toBe(3);
  });

  it('401 while Node-RED expects other credentials: held as refused credentials, delivered once its httpNodeAuth matches', async () => {
    const { app: a, nodered: n } = await run(1, (attempt) => (attempt < 3 ? 'old-password' : 'pa55word'));
    expect(n.attempts).toBe(4);
    expect(n.received.map((r) => r.body)).toEqual([falcosidekickBody(0)]);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'nodered', reason: 'auth' })).toBeGreaterThan(0);
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'nodered' })).toBe(1);
  });
});
