// The gcpstorage output in the real app against a receiver in place of the Cloud Storage JSON API
// (STORAGE_EMULATOR_HOST), answering as the API documents its errors ({"error": {code, message}}):
// the library makes exactly one request per attempt (its retries off), and each answer ends as
// classify.ts says: 403 held with the output failing, 429 and 503 retried, 400 dead-lettered; and
// the upload request itself (path, upload type, object name, ifGenerationMatch=0).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { startApp, type RunningApp } from '../../test/support/app.ts';
import { Receiver, waitFor } from '../../test/support/receiver.ts';

const apiError = (code: number, message: string) => JSON.stringify({ error: { code, message, errors: [{ message, domain: 'global', reason: code === 403 ? 'forbidden' : 'invalid' }] } });

let app: RunningApp | undefined;
let gcs: Receiver;
const before = process.env.STORAGE_EMULATOR_HOST;
beforeEach(async () => {
  gcs = await new Receiver().start();
  process.env.STORAGE_EMULATOR_HOST = gcs.url('');
});
afterEach(async () => {
  await app?.close();
  await gcs.stop();
  app = undefined;
  if (before === undefined) delete process.env.STORAGE_EMULATOR_HOST;
  else process.env.STORAGE_EMULATOR_HOST = before;
});

// One attempt, then a long backoff and no probes: what the receiver saw is what one attempt sent.
const ONE_ATTEMPT = '    retry:\n      initialbackoffms: 60000\n      probems: 0\n';
const start = async (extra = ONE_ATTEMPT) => {
  app = await startApp(`gcp:\n  storage:\n    bucket: falco\n    prefix: p\n${extra}`);
  return app;
};
const worker = (a: RunningApp) => a.workers.find((w) => w.name === 'gcpstorage');

describe('gcpstorage against the JSON API\'s error answers', () => {
  it.each([
    [503, 'Backend Error'],
    [429, 'The project exceeded the rate limit for creating and deleting buckets.'],
  ])('%i: retried by the core, one request per attempt (the library\'s own retries off)', async (status, message) => {
    gcs.setBehaviour(() => ({ kind: 'status', status, body: apiError(status, message) }));
    const a = await start();
    expect((await a.post(falcoAlertJson(0))).status).toBe(200);
    await waitFor(() => (worker(a)?.healthSnapshot().consecutiveFailures ?? 0) >= 1, 10_000, 'one failed attempt');
    expect(gcs.attempts).toBe(1);
    expect(worker(a)?.healthSnapshot()).toMatchObject({ state: 'retrying', lastError: `Cloud Storage answered ${status}: ${message}` });
    expect(a.deadLetters.size()).toBe(0);
  });

  it('403: held, the output failing, with what to grant', async () => {
    gcs.setBehaviour(() => ({ kind: 'status', status: 403, body: apiError(403, 'falco@p.iam.gserviceaccount.com does not have storage.objects.create access to the Google Cloud Storage object.') }));
    const a = await start();
    expect((await a.post(falcoAlertJson(0))).status).toBe(200);
    await waitFor(() => worker(a)?.healthSnapshot().state === 'failing', 10_000, 'failing');
    expect(worker(a)?.healthSnapshot().lastError).toBe(
      'Cloud Storage answered 403: falco@p.iam.gserviceaccount.com does not have storage.objects.create access to the Google Cloud Storage object. (the account may not create objects in bucket falco: grant it roles/storage.objectCreator)',
    );
    expect(gcs.attempts).toBe(1);
    expect(a.deadLetters.size()).toBe(0);
  });

  it('400: dead-lettered with the API\'s message, after one request', async () => {
    gcs.setBehaviour(() => ({ kind: 'status', status: 400, body: apiError(400, 'Invalid argument.') }));
    const a = await start('');
    expect((await a.post(falcoAlertJson(0))).status).toBe(200);
    await waitFor(() => a.deadLetters.size() === 1, 10_000, 'a dead letter');
    expect(a.deadLetters.list({ output: 'gcpstorage' }).map((d) => d.detail)).toEqual(['Cloud Storage answered 400: Invalid argument.']);
    expect(gcs.attempts).toBe(1);
  });

  it('what the upload request is: POST /upload/storage/v1/b/falco/o, multipart, the object name and ifGenerationMatch=0', async () => {
    let seen: { method: string; url: string; type: string } | undefined;
    gcs.setBehaviour((req) => {
      seen = { method: req.method, url: req.url, type: String(req.headers['content-type']) };
      return { kind: 'status', status: 400, body: apiError(400, 'stop') };
    });
    const a = await start('');
    expect((await a.post(falcoAlertJson(0))).status).toBe(200);
    await waitFor(() => seen !== undefined, 10_000, 'the upload');
    const url = new URL(seen?.url ?? '', 'http://x');
    expect([seen?.method, url.pathname, url.searchParams.get('uploadType'), url.searchParams.get('name'), url.searchParams.get('ifGenerationMatch')]).toEqual([
      'POST',
      '/upload/storage/v1/b/falco/o',
      'multipart',
      'p/2026-11-20/2026-11-20T10:21:36.167531875Z_alert-0.json',
      '0',
    ]);
    expect(seen?.type).toMatch(/^multipart\/related; boundary=/);
  });
});
