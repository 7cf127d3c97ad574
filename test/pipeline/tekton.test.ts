// The tekton output through the real app against a receiver that answers as a Tekton Triggers
// EventListener's sink does (pkg/sink/sink.go, validate_payload.go): any path, 400 with an
// errorMessage for a body that is not a JSON object, 500 without a body while it cannot read its
// own EventListener from the API server, else 202 {"eventListener","namespace","eventListenerUID","eventID"}.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { FAST_RETRY, falcosidekickBody, settled } from '../support/json-post.ts';
import { Receiver, type Behaviour, type Received } from '../support/receiver.ts';

let app: RunningApp | undefined;
let listener: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  await listener?.stop();
  app = listener = undefined;
});

/** The sink's answer; `listerDown`: its informer cannot get the EventListener yet. */
function sinkAnswer(req: Received, attempt: number, listerDown: boolean): Behaviour {
  const el = '"eventListener":"falco-listener","namespace":"tekton-pipelines"';
  try {
    const event = JSON.parse(req.body) as unknown;
    if (event === null || typeof event !== 'object' || Array.isArray(event)) throw new Error('not an object');
  } catch {
    return { kind: 'status', status: 400, body: `{${el},"eventListenerUID":"","errorMessage":"Invalid event body format format: not an object"}\n` };
  }
  if (listerDown) return { kind: 'status', status: 500, body: '' };
  return { kind: 'ok', status: 202, body: `{${el},"eventListenerUID":"7f0c1d2e","eventID":"event-${attempt}"}\n` };
}

async function run(count: number, listerDownFor = 0) {
  listener = await new Receiver().start();
  listener.setBehaviour((req, attempt) => sinkAnswer(req, attempt, attempt < listerDownFor));
  app = await startApp(`tekton:\n  eventlistener: ${listener.url('/')}\n${FAST_RETRY}`);
  for (let i = 0; i < count; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  await settled(app, 'tekton', count);
  return { app, listener };
}

describe('tekton pipeline', () => {
  it("posts falcosidekick's body to the EventListener, one alert per request, with falcosidekick's headers plus an Idempotency-Key; 202 is delivered", async () => {
    const { app: a, listener: l } = await run(3);
    expect(l.received).toHaveLength(3);
    const byUuid = new Map(l.received.map((r) => [JSON.parse(r.body).uuid as string, r]));
    for (let i = 0; i < 3; i++) {
      const got = byUuid.get(`alert-${i}`);
      expect(got?.method).toBe('POST');
      expect(got?.url).toBe('/');
      expect(got?.body).toBe(falcosidekickBody(i));
      expect(got?.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'idempotency-key': `alert-${i}`, 'user-agent': expect.stringMatching(/^peregrine\//) });
      expect(got?.headers.authorization).toBeUndefined();
    }
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'tekton' })).toBe(3);
    expect(await metricValue(a, 'falcosecurity_falcosidekick_outputs_total', { destination: 'tekton', status: 'ok' })).toBe(3);
  });

  it('500 while the EventListener cannot read its own resource: retried, then delivered once it can', async () => {
    const { app: a, listener: l } = await run(1, 2);
    expect(l.attempts).toBe(3);
    expect(l.received.map((r) => r.body)).toEqual([falcosidekickBody(0)]);
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'tekton' })).toBe(1);
    expect(await metricValue(a, 'peregrine_dead_lettered_total', { output: 'tekton' })).toBe(0);
  });
});
