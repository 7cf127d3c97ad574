// yandexdatastreams against moto_server (a real Kinesis API standing in for Yandex Data Streams,
// which is Kinesis-compatible): alerts read back exactly from a stream named as Data Streams names
// them (/<region>/<folder>/<database>/<stream>), keyed by uuid, sent with the yandex: static key to
// yandex.datastreams.endpoint; a missing stream holds the alerts (output failing) until it exists.
// moto's Kinesis knows AWS regions only, so yandex.region is moto's.
import { randomUUID } from 'node:crypto';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { expectExactAlerts, postInOrder } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';
import { createStream, streamRecords } from '../../support/moto-reads.ts';
import type { SecurityHubInfra as MotoInfra } from '../../infra/securityhub/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

const MOTO_MS = 120_000;

describe.skipIf(infraSkipped('securityhub'))('yandexdatastreams against moto', () => {
  let moto: MotoInfra;
  let kinesis: KinesisClient;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    moto = await useInfra<MotoInfra>('securityhub');
    // (moto speaks HTTP/1.1 only; the Kinesis client defaults to HTTP/2.)
    kinesis = new KinesisClient({ endpoint: moto.endpoint, region: moto.region, credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey }, maxAttempts: 1, requestHandler: new NodeHttpHandler() });
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    kinesis?.destroy();
  });

  const streamPath = (name: string) => `/ru-central1/b1gfolder/etndb/${name}`;
  const yaml = (stream: string, extra = '') =>
    `yandex:\n  accesskeyid: ${moto.accessKeyId}\n  secretaccesskey: ${moto.secretAccessKey}\n  region: ${moto.region}\n  datastreams:\n    streamname: ${stream}\n    endpoint: ${moto.endpoint}\n    timeoutms: 30000\n    batch:\n      flushms: 50\n${extra}`;

  async function start(config: string): Promise<RunningApp> {
    const app = await startApp(config);
    apps.push(app);
    return app;
  }

  const create = (name: string, shards: number) => createStream(kinesis, name, shards);
  const readAll = (name: string) => streamRecords(kinesis, name);

  it('1,200 alerts arrive exactly once each over two shards, keyed by their uuid, big integers intact', { timeout: MOTO_MS + 30_000 }, async () => {
    const run = `yds-${randomUUID().slice(0, 8)}`;
    const stream = streamPath(run);
    await create(stream, 2);
    // One call in flight: moto numbers a shard's records without a lock, and two concurrent
    // PutRecords on one shard overwrite each other's records (Kinesis does not).
    const app = await start(yaml(stream, '    maxconcurrency: 1\n'));
    await postInOrder(app, run, 1200);
    const worker = app.workers.find((w) => w.name === 'yandexdatastreams');
    await waitFor(() => worker?.healthSnapshot().delivered === 1200, MOTO_MS, '1,200 deliveries');
    expect(worker?.healthSnapshot()).toMatchObject({ deadLettered: 0, queued: 0 });
    const records = await readAll(stream);
    expectExactAlerts(records.map(([, data]) => data), run, 1200);
    for (const [key, data] of records) expect(key).toBe((JSON.parse(data) as { uuid: string }).uuid);
  });

  it('the exact record for one alert: the alert JSON as posted, normalised as falcosidekick sends it', async () => {
    const run = `one-${randomUUID().slice(0, 8)}`;
    const stream = streamPath(run);
    await create(stream, 1);
    const app = await start(yaml(stream));
    const posted = `{"uuid":"${run}","output":"a \\"quoted\\" é output","priority":"warning","rule":"R","time":"2026-11-20T10:21:36.1Z","output_fields":{"evt.time":1700000000167531875,"x":null},"source":"syscall","hostname":"h"}`;
    expect((await app.post(posted)).status).toBe(200);
    await waitFor(() => app.workers[0]?.healthSnapshot().delivered === 1, 20_000, 'one delivery');
    expect(await readAll(stream)).toEqual([
      [run, `{"uuid":"${run}","output":"a \\"quoted\\" é output","priority":"Warning","rule":"R","time":"2026-11-20T10:21:36.1Z","output_fields":{"evt.time":1700000000167531875,"x":null},"source":"syscall","hostname":"h"}`],
    ]);
  });

  it('a stream that does not exist yet: the alerts wait (output failing), then arrive once it is created', { timeout: 60_000 }, async () => {
    const run = `late-${randomUUID().slice(0, 8)}`;
    const stream = streamPath(run);
    const app = await start(yaml(stream, '    retry:\n      maxbackoffms: 500\n'));
    await postInOrder(app, run, 10);
    const worker = app.workers.find((w) => w.name === 'yandexdatastreams');
    await waitFor(() => worker?.healthSnapshot().state === 'failing', 20_000, 'failing');
    expect(worker?.healthSnapshot().lastError).toMatch(/ResourceNotFoundException.*the stream does not exist: create it or fix yandex.datastreams.streamname/);
    await create(stream, 1);
    await waitFor(() => worker?.healthSnapshot().delivered === 10, 30_000, '10 deliveries');
    expectExactAlerts((await readAll(stream)).map(([, data]) => data), run, 10);
    expect(app.deadLetters.size()).toBe(0);
  });
});
