// awss3 against moto_server (a real S3 API): 2,000 alerts read back exactly from gzipped NDJSON
// objects under Athena-style partitions, through an S3-compatible endpoint (path-style), with the
// content headers and ACL set; a missing bucket keeps alerts queued until it exists.
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectAclCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { expectExactAlerts, postInOrder } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';
import { ndjsonLines, objectKeys } from '../../support/moto-reads.ts';
import type { SecurityHubInfra as MotoInfra } from '../../infra/securityhub/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

describe.skipIf(infraSkipped('securityhub'))('awss3 against moto', () => {
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

  const yaml = (bucket: string, extra = '') =>
    `aws:\n  accesskeyid: ${moto.accessKeyId}\n  secretaccesskey: ${moto.secretAccessKey}\n  region: ${moto.region}\n  endpoint: ${moto.endpoint}\n  s3:\n    bucket: ${bucket}\n    endpoint: ${moto.endpoint}\n    prefix: alerts/falco\n    retry:\n      initialbackoffms: 50\n      maxbackoffms: 500\n${extra}`;

  async function start(config: string): Promise<RunningApp> {
    const app = await startApp(config);
    apps.push(app);
    return app;
  }

  const keys = (bucket: string) => objectKeys(s3, bucket);
  const lines = (bucket: string, key: string) => ndjsonLines(s3, bucket, key);

  it('2,000 alerts land exactly once in gzipped NDJSON objects under year=/month=/day=/hour= of the alert time', async () => {
    const bucket = `s3-${randomUUID().slice(0, 8)}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const app = await start(yaml(bucket, '    batch:\n      maxevents: 300\n      flushms: 100\n'));
    // Alerts spread over two hours: each batch splits into one object per hour.
    const time = (i: number) => (i % 2 ? '2026-11-20T10:21:36.167531875Z' : '2026-11-20T11:00:00.000000001Z');
    const run = `s3-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 2000, { time });
    const worker = app.workers.find((w) => w.name === 'awss3');
    await waitFor(() => worker?.healthSnapshot().delivered === 2000, 60_000, '2,000 deliveries');

    const all = await keys(bucket);
    for (const key of all) expect(key).toMatch(new RegExp(`^alerts/falco/year=2026/month=11/day=20/hour=1[01]/${run}-\\d+-\\d+\\.ndjson\\.gz$`));
    const texts: string[] = [];
    for (const key of all) {
      const got = await lines(bucket, key);
      // Every object holds what its key says: the hour of each alert and the count.
      expect(got).toHaveLength(Number(/-(\d+)\.ndjson\.gz$/.exec(key)?.[1]));
      const hour = /hour=(\d\d)/.exec(key)?.[1];
      for (const line of got) expect((JSON.parse(line) as { time: string }).time.slice(11, 13)).toBe(hour);
      texts.push(...got);
    }
    expectExactAlerts(texts, run, 2000, { time });
    const acl = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: all[0] }));
    expect(acl.Grants?.some((g) => g.Permission === 'FULL_CONTROL')).toBe(true);
  });

  it('a missing bucket keeps alerts queued (failing, nothing dead-lettered) until it exists', async () => {
    const bucket = `late-${randomUUID().slice(0, 8)}`;
    const app = await start(yaml(bucket, '    batch:\n      flushms: 20\n'));
    const run = `late-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 5);
    const worker = app.workers.find((w) => w.name === 'awss3');
    await waitFor(() => worker?.healthSnapshot().state === 'failing', 20_000, 'failing on NoSuchBucket');
    expect(worker?.healthSnapshot().lastError).toMatch(/NoSuchBucket.*create it or fix aws.s3.bucket/);
    expect(app.deadLetters.size()).toBe(0);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await waitFor(() => worker?.healthSnapshot().delivered === 5, 20_000, 'delivery once the bucket exists');
    const [key] = await keys(bucket);
    expectExactAlerts(await lines(bucket, key as string), run, 5, { ordered: true });
  });
});
