// yandexs3 against moto_server (a real S3 API standing in for Yandex Object Storage, which is
// S3-compatible): alerts read back exactly from gzipped NDJSON objects under the default prefix and
// Athena-style partitions, signed for the default region ru-central1 with the yandex: static key,
// path-style at yandex.s3.endpoint; a missing bucket keeps alerts queued until it exists; no static
// key is a connect error naming the keys.
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { expectExactAlerts, postInOrder } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';
import { ndjsonLines, objectKeys } from '../../support/moto-reads.ts';
import type { SecurityHubInfra as MotoInfra } from '../../infra/securityhub/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

describe.skipIf(infraSkipped('securityhub'))('yandexs3 against moto', () => {
  let moto: MotoInfra;
  let s3: S3Client;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    moto = await useInfra<MotoInfra>('securityhub');
    s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: moto.region, credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey }, maxAttempts: 1 });
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    s3?.destroy();
  });

  // As a falcosidekick values file has it: the key in yandex:, the bucket and endpoint in yandex.s3:
  // (the region stays falcosidekick's default, ru-central1).
  const yaml = (bucket: string, extra = '') =>
    `yandex:\n  accesskeyid: ${moto.accessKeyId}\n  secretaccesskey: ${moto.secretAccessKey}\n  s3:\n    bucket: ${bucket}\n    endpoint: ${moto.endpoint}\n    retry:\n      initialbackoffms: 50\n      maxbackoffms: 500\n${extra}`;

  async function start(config: string): Promise<RunningApp> {
    const app = await startApp(config);
    apps.push(app);
    return app;
  }

  const keys = (bucket: string) => objectKeys(s3, bucket);
  const lines = (bucket: string, key: string) => ndjsonLines(s3, bucket, key);

  it('1,000 alerts land exactly once in gzipped NDJSON objects under falco/year=/month=/day=/hour= of the alert time', async () => {
    const bucket = `ya-${randomUUID().slice(0, 8)}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const app = await start(yaml(bucket, '    batch:\n      maxevents: 300\n      flushms: 100\n'));
    const time = (i: number) => (i % 2 ? '2026-11-20T10:21:36.167531875Z' : '2026-11-20T11:00:00.000000001Z');
    const run = `ya-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 1000, { time });
    const worker = app.workers.find((w) => w.name === 'yandexs3');
    await waitFor(() => worker?.healthSnapshot().delivered === 1000, 60_000, '1,000 deliveries');
    expect(worker?.healthSnapshot()).toMatchObject({ deadLettered: 0, queued: 0 });

    const all = await keys(bucket);
    const texts: string[] = [];
    for (const key of all) {
      expect(key).toMatch(new RegExp(`^falco/year=2026/month=11/day=20/hour=1[01]/${run}-\\d+-\\d+\\.ndjson\\.gz$`));
      const got = await lines(bucket, key);
      // Every object holds what its key says: the hour of each alert and the count.
      expect(got).toHaveLength(Number(/-(\d+)\.ndjson\.gz$/.exec(key)?.[1]));
      const hour = /hour=(\d\d)/.exec(key)?.[1];
      for (const line of got) expect((JSON.parse(line) as { time: string }).time.slice(11, 13)).toBe(hour);
      texts.push(...got);
    }
    expectExactAlerts(texts, run, 1000, { time });
  });

  it('the exact object for one alert: the alert JSON as posted, normalised as falcosidekick sends it, one line', async () => {
    const bucket = `one-${randomUUID().slice(0, 8)}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const app = await start(yaml(bucket, '    prefix: alerts/falco\n    batch:\n      flushms: 20\n'));
    const uuid = `one-${randomUUID().slice(0, 8)}`;
    const posted = `{"uuid":"${uuid}","output":"a \\"quoted\\" é output","priority":"warning","rule":"R","time":"2026-11-20T10:21:36.1Z","output_fields":{"evt.time":1700000000167531875,"x":null},"source":"syscall","hostname":"h"}`;
    expect((await app.post(posted)).status).toBe(200);
    await waitFor(() => app.workers[0]?.healthSnapshot().delivered === 1, 20_000, 'one delivery');
    const key = `alerts/falco/year=2026/month=11/day=20/hour=10/${uuid}-1.ndjson.gz`;
    expect(await keys(bucket)).toEqual([key]);
    expect(await lines(bucket, key)).toEqual([
      `{"uuid":"${uuid}","output":"a \\"quoted\\" é output","priority":"Warning","rule":"R","time":"2026-11-20T10:21:36.1Z","output_fields":{"evt.time":1700000000167531875,"x":null},"source":"syscall","hostname":"h"}`,
    ]);
  });

  it('a missing bucket keeps alerts queued (failing, nothing dead-lettered) until it exists', async () => {
    const bucket = `late-${randomUUID().slice(0, 8)}`;
    const app = await start(yaml(bucket, '    batch:\n      flushms: 20\n'));
    const run = `late-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 5);
    const worker = app.workers.find((w) => w.name === 'yandexs3');
    await waitFor(() => worker?.healthSnapshot().state === 'failing', 20_000, 'failing on NoSuchBucket');
    expect(worker?.healthSnapshot().lastError).toMatch(/NoSuchBucket.*create it or fix yandex.s3.bucket/);
    expect(app.deadLetters.size()).toBe(0);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await waitFor(() => worker?.healthSnapshot().delivered === 5, 20_000, 'delivery once the bucket exists');
    const [key] = await keys(bucket);
    expectExactAlerts(await lines(bucket, key as string), run, 5, { ordered: true });
  });

  it('no static key: the output fails to connect, naming the keys, and its alerts wait', async () => {
    const app = await start(`yandex:\n  s3:\n    bucket: nokey\n    endpoint: ${moto.endpoint}\n`);
    expect((await app.post(`{"uuid":"nokey","output":"o","priority":"Notice","rule":"R","time":"2026-11-20T10:21:36.1Z","output_fields":{}}`)).status).toBe(200);
    const worker = app.workers.find((w) => w.name === 'yandexs3');
    await waitFor(() => worker?.healthSnapshot().state === 'failing', 20_000, 'connect failure');
    expect(worker?.healthSnapshot()).toMatchObject({ queued: 1, deadLettered: 0, lastError: expect.stringMatching(/yandexs3: set yandex.accesskeyid and yandex.secretaccesskey/) });
  });
});
