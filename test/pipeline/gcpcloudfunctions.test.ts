// The gcpcloudfunctions output through the real app against a receiver that answers as the Cloud
// Functions v1 API's functions.call (test/support/gcpcloudfunctions-receiver.ts), which verifies
// the self-signed token with the service account's public key: {"data": "<falcosidekick's body>"}
// per alert; 429 and 503 retried, then delivered; 403 and an unknown function held, the output
// failing; the function's own error dead-lettered with it.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { startCloudFunctionsReceiver, type CloudFunctionsState } from '../support/gcpcloudfunctions-receiver.ts';
import { falcosidekickBody, settled } from '../support/json-post.ts';
import { waitFor } from '../support/receiver.ts';
import type { SaasReceiver } from '../support/saas-receiver.ts';

const NAME = 'projects/p1/locations/us-central1/functions/falco';
const EMAIL = 'falco@p1.iam.gserviceaccount.com';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const credentials = Buffer.from(JSON.stringify({ type: 'service_account', project_id: 'p1', private_key_id: 'k1', client_email: EMAIL, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })).toString('base64');

let app: RunningApp | undefined;
let fn: SaasReceiver | undefined;
afterEach(async () => {
  await app?.close();
  await fn?.stop();
  app = fn = undefined;
});

async function start(name = NAME, state: Partial<CloudFunctionsState> = {}, extra = '') {
  const started = await startCloudFunctionsReceiver({ email: EMAIL, publicKey }, { name: NAME, ...state });
  fn = started.receiver;
  app = await startApp(`gcp:\n  credentials: ${credentials}\n  cloudfunctions:\n    name: ${name}\n    endpoint: ${fn.url('')}\n    retry:\n      initialbackoffms: 20\n      maxbackoffms: 100\n${extra}`);
  return { app, fn, tokenProblems: started.tokenProblems };
}
const worker = (a: RunningApp) => a.workers.find((w) => w.name === 'gcpcloudfunctions');

describe('gcpcloudfunctions pipeline', () => {
  it('calls the function with {"data": <alert JSON>} and a token the API verifies, one call per alert', async () => {
    const { app: a, fn: f, tokenProblems } = await start();
    for (let i = 0; i < 3; i++) expect((await a.post(falcoAlertJson(i))).status).toBe(200);
    await settled(a, 'gcpcloudfunctions', 3);
    expect(tokenProblems).toEqual([]);
    expect(f.invalid).toEqual([]);
    expect(f.accepted.map((q) => q.body)).toEqual([0, 1, 2].map((i) => JSON.stringify({ data: falcosidekickBody(i) })));
    for (const q of f.accepted) {
      expect(q.url).toBe(`/v1/${NAME}:call`);
      expect(q.headers['content-type']).toBe('application/json');
    }
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'gcpcloudfunctions' })).toBe(3);
  });

  it('429 (quota) with Retry-After and 503: retried, then delivered once', async () => {
    const { app: a, fn: f } = await start();
    f.failNext({ kind: 'throttle', retryAfter: '0' }, { kind: 'unavailable', status: 503 });
    expect((await a.post(falcoAlertJson(0))).status).toBe(200);
    await settled(a, 'gcpcloudfunctions', 1);
    expect(f.requests).toHaveLength(3);
    expect(f.accepted.map((q) => q.body)).toEqual([JSON.stringify({ data: falcosidekickBody(0) })]);
  });

  it.each([
    ['403 PERMISSION_DENIED', NAME, /^Cloud Functions answered 403 PERMISSION_DENIED: Permission 'cloudfunctions.functions.call' denied/],
    ['an unknown function (404)', 'projects/p1/locations/us-central1/functions/other', /^Cloud Functions answered 404 NOT_FOUND: Function other in region us-central1 in project p1 does not exist \(function projects\/p1\/locations\/us-central1\/functions\/other does not exist: fix gcp.cloudfunctions.name\)$/],
  ])('%s: held, the output failing, nothing dead-lettered', async (what, name, error) => {
    const { app: a, fn: f } = await start(name);
    if (what.startsWith('403')) f.failAlways({ kind: 'status', status: 403 });
    expect((await a.post(falcoAlertJson(0))).status).toBe(200);
    await waitFor(() => worker(a)?.healthSnapshot().state === 'failing', 10_000, 'failing');
    expect(worker(a)?.healthSnapshot().lastError).toMatch(error);
    expect(a.deadLetters.size()).toBe(0);
  });

  it("the function's own error: dead-lettered with it, not called again", async () => {
    const { app: a, fn: f } = await start(NAME, { functionError: 'Error: could not write to the ticket system' });
    expect((await a.post(falcoAlertJson(0))).status).toBe(200);
    await settled(a, 'gcpcloudfunctions', 1);
    expect(f.requests).toHaveLength(1);
    const dead = a.deadLetters.list({ output: 'gcpcloudfunctions' });
    expect(dead.map((d) => d.detail)).toEqual([`function ${NAME} failed (execution exec1): Error: could not write to the ticket system`]);
  });
});
