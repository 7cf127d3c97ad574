// gcpstorage against fake-gcs-server (the Cloud Storage JSON API, in memory), reached through
// STORAGE_EMULATOR_HOST as the Google libraries (and falcosidekick's) read it: 300 alerts read back
// as one object each, named <prefix>/<day>/<time>_<uuid>.json, body exactly the alert JSON; an
// alert sent again is not written twice (ifGenerationMatch=0); a missing bucket keeps alerts
// queued, the output failing, until it exists.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAlert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { serializeAlert } from '../../../src/alert/serialize.ts';
import { objectName } from '../../../outputs/gcpstorage/key.ts';
import type { FakeGcsInfra } from '../../infra/fakegcs/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { expectExactAlerts, postInOrder, runAlertJson } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';

interface GcsObject {
  name: string;
  contentType: string;
  generation: string;
  size: string;
}

describe.skipIf(infraSkipped('fakegcs'))('gcpstorage against fake-gcs-server', () => {
  let gcs: FakeGcsInfra;
  const apps: RunningApp[] = [];
  const before = process.env.STORAGE_EMULATOR_HOST;

  beforeAll(async () => {
    gcs = await useInfra<FakeGcsInfra>('fakegcs');
    process.env.STORAGE_EMULATOR_HOST = gcs.endpoint;
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    if (before === undefined) delete process.env.STORAGE_EMULATOR_HOST;
    else process.env.STORAGE_EMULATOR_HOST = before;
  });

  async function createBucket(name: string): Promise<void> {
    const res = await fetch(`${gcs.endpoint}/storage/v1/b?project=test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    expect(res.status).toBe(200);
  }
  async function objects(bucket: string): Promise<GcsObject[]> {
    const out: GcsObject[] = [];
    let token = '';
    do {
      const res = await fetch(`${gcs.endpoint}/storage/v1/b/${bucket}/o?maxResults=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`);
      const page = (await res.json()) as { items?: GcsObject[]; nextPageToken?: string };
      out.push(...(page.items ?? []));
      token = page.nextPageToken ?? '';
    } while (token);
    return out;
  }
  async function body(bucket: string, name: string): Promise<string> {
    const res = await fetch(`${gcs.endpoint}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}?alt=media`);
    expect(res.status).toBe(200);
    return res.text();
  }
  async function start(bucket: string, prefix: string): Promise<RunningApp> {
    const app = await startApp(`gcp:\n  storage:\n    bucket: ${bucket}\n    prefix: ${prefix}\n    maxconcurrency: 8\n    retry:\n      initialbackoffms: 50\n      maxbackoffms: 500\n`);
    apps.push(app);
    return app;
  }
  const worker = (app: RunningApp) => app.workers.find((w) => w.name === 'gcpstorage');
  const alertOf = (json: string) => toAlert(parseJson(json) as AlertInput);
  const nameOf = (prefix: string, json: string) => objectName(prefix, alertOf(json));

  it('300 alerts: one object each, named <prefix>/<day>/<time>_<uuid>.json, holding exactly the alert JSON', async () => {
    const bucket = `gcs-${randomUUID().slice(0, 8)}`;
    await createBucket(bucket);
    const app = await start(bucket, 'falco/alerts');
    const run = `gs-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 300, { per: 100 });
    await waitFor(() => worker(app)?.healthSnapshot().delivered === 300, 60_000, '300 deliveries');

    const listed = await objects(bucket);
    expect(listed.map((o) => o.name).sort()).toEqual(Array.from({ length: 300 }, (_, i) => nameOf('falco/alerts', runAlertJson(run, i))).sort());
    for (const o of listed) expect(o.contentType).toBe('application/json');
    const texts = await Promise.all(listed.map((o) => body(bucket, o.name)));
    expectExactAlerts(texts, run, 300);
  });

  it('an alert sent again is delivered as a duplicate: the object is written once', async () => {
    const bucket = `dup-${randomUUID().slice(0, 8)}`;
    await createBucket(bucket);
    const app = await start(bucket, '');
    const json = runAlertJson(`dup-${randomUUID().slice(0, 8)}`, 0);
    expect((await app.post(json)).status).toBe(200);
    await waitFor(() => worker(app)?.healthSnapshot().delivered === 1, 20_000, 'first delivery');
    const [first] = await objects(bucket);
    expect(first?.name).toBe(nameOf('', json));
    expect((await app.post(json)).status).toBe(200);
    await waitFor(() => worker(app)?.healthSnapshot().delivered === 2, 20_000, 'second delivery');
    const after = await objects(bucket);
    expect(after).toHaveLength(1);
    expect(after[0]?.generation).toBe(first?.generation);
    expect(await body(bucket, first?.name ?? '')).toBe(serializeAlert(alertOf(json)));
  });

  it('a missing bucket keeps alerts queued (failing, nothing dead-lettered) until it exists', async () => {
    const bucket = `late-${randomUUID().slice(0, 8)}`;
    const app = await start(bucket, 'p');
    const run = `late-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 5);
    await waitFor(() => worker(app)?.healthSnapshot().state === 'failing', 20_000, 'failing on a missing bucket');
    expect(worker(app)?.healthSnapshot().lastError).toMatch(new RegExp(`^Cloud Storage answered 404: .*\\(bucket ${bucket} does not exist: create it or fix gcp.storage.bucket\\)$`));
    expect(app.deadLetters.size()).toBe(0);
    await createBucket(bucket);
    await waitFor(() => worker(app)?.healthSnapshot().delivered === 5, 20_000, 'delivery once the bucket exists');
    const listed = await objects(bucket);
    expectExactAlerts(await Promise.all(listed.map((o) => body(bucket, o.name))), run, 5);
  });
});

