// The talon output through the real app against a receiver that answers as Falco Talon's `/`
// handler does (internal/handler/handler.go): POST only, the Falco event JSON, 200 with no body;
// 400 "Please send a valid request body" for a body it cannot decode; 500 when it cannot queue the
// event on NATS.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { FAST_RETRY, falcosidekickBody, settled } from '../support/json-post.ts';
import { Receiver, type Behaviour, type Received } from '../support/receiver.ts';

let app: RunningApp | undefined;
let talon: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  await talon?.stop();
  app = talon = undefined;
});

/** Talon's answer: what its handler checks before it queues the event. */
function talonAnswer(req: Received, natsDown: boolean): Behaviour {
  if (req.url !== '/') return { kind: 'status', status: 404, body: '404 page not found\n' };
  if (req.method !== 'POST') return { kind: 'status', status: 400, body: 'Please send with POST http method\n' };
  try {
    const event = JSON.parse(req.body) as { rule?: unknown; time?: unknown };
    if (typeof event.rule !== 'string' || typeof event.time !== 'string' || Number.isNaN(Date.parse(event.time))) throw new Error('not an event');
  } catch {
    return { kind: 'status', status: 400, body: 'Please send a valid request body\n' };
  }
  if (natsDown) return { kind: 'status', status: 500, body: 'Internal Server Error\n' };
  return { kind: 'ok', body: '' };
}

async function run(count: number, natsDownFor = 0) {
  talon = await new Receiver().start();
  talon.setBehaviour((req, attempt) => talonAnswer(req, attempt < natsDownFor));
  app = await startApp(`talon:\n  address: ${talon.url('/')}\n${FAST_RETRY}`);
  for (let i = 0; i < count; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  await settled(app, 'talon', count);
  return { app, talon };
}

describe('talon pipeline', () => {
  it("posts falcosidekick's body to Talon's `/`, one alert per request, with falcosidekick's headers plus an Idempotency-Key", async () => {
    const { app: a, talon: t } = await run(3);
    expect(t.received).toHaveLength(3);
    const byUuid = new Map(t.received.map((r) => [JSON.parse(r.body).uuid as string, r]));
    for (let i = 0; i < 3; i++) {
      const got = byUuid.get(`alert-${i}`);
      expect(got?.method).toBe('POST');
      expect(got?.body).toBe(falcosidekickBody(i));
      expect(got?.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'idempotency-key': `alert-${i}`, 'user-agent': expect.stringMatching(/^peregrine\//) });
      expect(got?.headers.authorization).toBeUndefined();
    }
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'talon' })).toBe(3);
    expect(await metricValue(a, 'falcosecurity_falcosidekick_outputs_total', { destination: 'talon', status: 'ok' })).toBe(3);
  });

  it('500 while Talon cannot queue the event (NATS down): retried, then delivered once it can', async () => {
    const { app: a, talon: t } = await run(1, 2);
    expect(t.attempts).toBe(3);
    expect(t.received.map((r) => r.body)).toEqual([falcosidekickBody(0)]);
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'talon' })).toBe(1);
    expect(await metricValue(a, 'peregrine_dead_lettered_total', { output: 'talon' })).toBe(0);
  });
});
