// The gcpcloudrun output through the real app against a receiver that answers as Cloud Run's front
// end and a Falco handler behind it (test/support/gcpcloudrun-receiver.ts): the exact body and
// headers falcosidekick sends, one POST per alert; 401 (an expired token) and 403 (no
// roles/run.invoker) held with the output failing; 429 and 503 retried, then delivered; 404 dead-lettered.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { startCloudRunReceiver } from '../support/gcpcloudrun-receiver.ts';
import { FAST_RETRY, falcosidekickBody, settled } from '../support/json-post.ts';
import { waitFor } from '../support/receiver.ts';
import type { SaasReceiver } from '../support/saas-receiver.ts';

const GOOD = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwOi8vMTI3LjAuMC4xIn0.c2lnbmF0dXJl';
const EXPIRED = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjF9.c2lnbmF0dXJl';
const NO_INVOKER = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvdGhlciJ9.c2lnbmF0dXJl';

let app: RunningApp | undefined;
let run: SaasReceiver | undefined;
afterEach(async () => {
  await app?.close();
  await run?.stop();
  app = run = undefined;
});

async function start(jwt: string, extra = '') {
  run = await startCloudRunReceiver('/falco', { good: GOOD, forbidden: NO_INVOKER });
  app = await startApp(`gcp:\n  cloudrun:\n    endpoint: ${run.url('/falco')}\n    jwt: ${jwt}\n${FAST_RETRY.replace(/^/gm, '  ').trimEnd()}\n${extra}`);
  return { app, run };
}
const worker = (a: RunningApp) => a.workers.find((w) => w.name === 'gcpcloudrun');

describe('gcpcloudrun pipeline', () => {
  it("posts falcosidekick's body with Authorization: Bearer <jwt>, one request per alert", async () => {
    const { app: a, run: r } = await start(GOOD);
    for (let i = 0; i < 3; i++) expect((await a.post(falcoAlertJson(i))).status).toBe(200);
    await settled(a, 'gcpcloudrun', 3);
    expect(r.invalid).toEqual([]);
    expect(r.accepted.map((q) => q.body).sort()).toEqual([0, 1, 2].map(falcosidekickBody));
    for (const q of r.accepted) {
      expect(q.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${GOOD}` });
      expect(q.headers['user-agent']).toMatch(/^peregrine\//);
      expect(q.headers['idempotency-key']).toBeUndefined();
    }
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'gcpcloudrun' })).toBe(3);
  });

  it.each([
    ['an expired token (401)', EXPIRED, /^HTTP 401: /],
    ['an account without roles/run.invoker (403)', NO_INVOKER, /^HTTP 403: /],
  ])('%s: held, the output failing, nothing dead-lettered', async (_what, jwt, error) => {
    const { app: a, run: r } = await start(jwt);
    expect((await a.post(falcoAlertJson(0))).status).toBe(200);
    await waitFor(() => worker(a)?.healthSnapshot().state === 'failing', 10_000, 'failing');
    expect(worker(a)?.healthSnapshot().lastError).toMatch(error);
    expect(r.accepted).toEqual([]);
    expect(a.deadLetters.size()).toBe(0);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'gcpcloudrun', reason: 'auth' })).toBeGreaterThan(0);
  });

  it('429 (no instance available) and 503: retried, then delivered once', async () => {
    const { app: a, run: r } = await start(GOOD);
    r.failNext({ kind: 'throttle' }, { kind: 'unavailable', status: 503 });
    expect((await a.post(falcoAlertJson(0))).status).toBe(200);
    await settled(a, 'gcpcloudrun', 1);
    expect(r.requests).toHaveLength(3);
    expect(r.accepted.map((q) => q.body)).toEqual([falcosidekickBody(0)]);
    expect(a.deadLetters.size()).toBe(0);
  });

  it('404 (a wrong endpoint path): dead-lettered at once', async () => {
    const { app: a, run: r } = await start(GOOD);
    r.failAlways({ kind: 'status', status: 404 });
    expect((await a.post(falcoAlertJson(0))).status).toBe(200);
    await settled(a, 'gcpcloudrun', 1);
    expect(r.requests).toHaveLength(1);
    const dead = a.deadLetters.list({ output: 'gcpcloudrun' });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.detail).toBe('HTTP 404: "The requested URL was not found on this server."');
  });
});
