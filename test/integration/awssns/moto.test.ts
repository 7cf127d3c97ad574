// awssns against moto_server (a real SNS API delivering to real SQS queues): 500 alerts published
// as raw JSON read back exactly through a raw-delivery subscription, 200 in order through a FIFO
// topic and queue, falcosidekick's output text + message attributes checked in the SNS envelope of
// a non-raw subscription, an alert over SNS's 256 KiB dead-lettered while the rest of its batch is
// delivered, and a missing topic shown as failing.
import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { expectExactAlerts, postInOrder, runAlertJson } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';
import { drainQueue } from '../../support/sqs-drain.ts';
import type { SecurityHubInfra as MotoInfra } from '../../infra/securityhub/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

// moto's SQS slows down as a queue grows (see test/integration/awssqs): 500 alerts, read while sending.
const MOTO_MS = 240_000;

describe.skipIf(infraSkipped('securityhub'))('awssns against moto', () => {
  let moto: MotoInfra;
  let sns: SNSClient;
  let sqs: SQSClient;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    moto = await useInfra<MotoInfra>('securityhub');
    const settings = { endpoint: moto.endpoint, region: moto.region, credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey }, maxAttempts: 1 };
    sns = new SNSClient(settings);
    sqs = new SQSClient(settings);
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    sns?.destroy();
    sqs?.destroy();
  });

  // The credentials come from the shared aws: section, as a falcosidekick values file has them.
  const yaml = (topicArn: string, extra = '') =>
    `aws:\n  accesskeyid: ${moto.accessKeyId}\n  secretaccesskey: ${moto.secretAccessKey}\n  region: ${moto.region}\n  endpoint: ${moto.endpoint}\n  sns:\n    topicarn: ${topicArn}\n    timeoutms: 30000\n    maxconcurrency: 1\n    batch:\n      flushms: 50\n${extra}`;

  async function start(config: string): Promise<RunningApp> {
    const app = await startApp(config);
    apps.push(app);
    return app;
  }

  /** A topic and a queue subscribed to it; the queue URL. */
  async function topicWithQueue(name: string, raw: boolean): Promise<{ topicArn: string; url: string }> {
    const fifo = name.endsWith('.fifo') ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' } : undefined;
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: name, ...(fifo ? { Attributes: fifo } : {}) }))).TopicArn as string;
    const queueAttrs = fifo ? { Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false' } } : {};
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, ...queueAttrs }))).QueueUrl as string;
    const queueArn = `arn:aws:sqs:${moto.region}:${moto.accountId}:${name}`;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: String(raw) } }));
    return { topicArn, url };
  }

  const drain = (url: string, count: number) => drainQueue(sqs, url, count, MOTO_MS);

  it('rawjson: 500 alerts arrive exactly once each through a raw-delivery subscription, big integers intact', { timeout: MOTO_MS + 30_000 }, async () => {
    const run = `sns-${randomUUID().slice(0, 8)}`;
    const { topicArn, url } = await topicWithQueue(run, true);
    const app = await start(yaml(topicArn, '    rawjson: true\n'));
    const bodies = drain(url, 500);
    await postInOrder(app, run, 500);
    const worker = app.workers.find((w) => w.name === 'awssns');
    await waitFor(() => worker?.healthSnapshot().delivered === 500, MOTO_MS, '500 deliveries').catch((e) => { throw new Error(`${(e as Error).message}: ${JSON.stringify(worker?.healthSnapshot())}`); });
    expectExactAlerts(await bodies, run, 500);
    expect(worker?.healthSnapshot()).toMatchObject({ deadLettered: 0, queued: 0 });
  });

  it('a FIFO topic delivers 200 alerts in order to a FIFO queue (group = hostname, uuid as deduplication id)', { timeout: MOTO_MS + 30_000 }, async () => {
    const run = `fifo-${randomUUID().slice(0, 8)}`;
    const { topicArn, url } = await topicWithQueue(`${run}.fifo`, true);
    const app = await start(yaml(topicArn, '    rawjson: true\n'));
    const bodies = drain(url, 200);
    await postInOrder(app, run, 200);
    const worker = app.workers.find((w) => w.name === 'awssns');
    await waitFor(() => worker?.healthSnapshot().delivered === 200, MOTO_MS, '200 deliveries');
    expectExactAlerts(await bodies, run, 200, { ordered: true });
  });

  it('default: the output text with falcosidekick\'s message attributes (Number evt.time with every digit)', { timeout: 60_000 }, async () => {
    const run = `attrs-${randomUUID().slice(0, 8)}`;
    const { topicArn, url } = await topicWithQueue(run, false);
    const app = await start(yaml(topicArn));
    await postInOrder(app, run, 3);
    const envelopes = (await drain(url, 3)).map((b) => JSON.parse(b) as { TopicArn: string; Message: string; MessageAttributes: Record<string, { Type: string; Value: string }> });
    expect(envelopes).toHaveLength(3);
    const evtTimes = envelopes.map((e) => e.MessageAttributes['evt.time']?.Value).sort();
    expect(evtTimes).toEqual(['1700000000167531875', '1700000000167531876', '1700000000167531877']);
    const first = envelopes.find((e) => e.MessageAttributes['evt.time']?.Value === '1700000000167531875');
    expect(first?.TopicArn).toBe(topicArn);
    expect(first?.Message).toBe('10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)');
    expect(first?.MessageAttributes).toEqual({
      priority: { Type: 'String', Value: 'Notice' },
      rule: { Type: 'String', Value: 'Terminal shell in container' },
      source: { Type: 'String', Value: 'syscall' },
      tags: { Type: 'String', Value: 'T1059,container,mitre_execution,shell' },
      hostname: { Type: 'String', Value: 'node-1' },
      'container.id': { Type: 'String', Value: '1f0a2e5c8d3b' },
      'evt.time': { Type: 'Number', Value: '1700000000167531875' },
      'proc.cmdline': { Type: 'String', Value: 'sh -c id' },
      'k8s.ns.name': { Type: 'String', Value: 'default' },
      'k8s.pod.name': { Type: 'String', Value: 'web-7d9' },
      'user.name': { Type: 'String', Value: 'root' },
    });
  });

  it('dead-letters an alert over SNS\'s 256 KiB and delivers the rest of its batch', { timeout: 60_000 }, async () => {
    const run = `big-${randomUUID().slice(0, 8)}`;
    const { topicArn, url } = await topicWithQueue(run, true);
    const app = await start(yaml(topicArn, '    rawjson: true\n'));
    const big = runAlertJson(run, 5).replace('"output":"', `"output":"${'x'.repeat(262_144)}`);
    const alerts = Array.from({ length: 10 }, (_, i) => (i === 5 ? big : runAlertJson(run, i)));
    expect((await app.post(`[${alerts.join(',')}]`)).status).toBe(200);
    const worker = app.workers.find((w) => w.name === 'awssns');
    await waitFor(() => app.deadLetters.size() === 1 && worker?.healthSnapshot().delivered === 9, 30_000, 'one dead letter, nine delivered');
    expect(app.deadLetters.list()[0]).toMatchObject({ alert: { uuid: `${run}-5` }, reason: 'rejected', detail: expect.stringMatching(/^the alert is \d+ bytes \(message and attributes\), over SNS's limit of 262144$/) });
    const bodies = await drain(url, 9);
    expect(bodies.map((b) => (JSON.parse(b) as { uuid: string }).uuid).sort()).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9].map((i) => `${run}-${i}`).sort());
  });

  it('a missing topic: the output shows failing with the hint, and its alerts wait', { timeout: 60_000 }, async () => {
    const app = await start(yaml(`arn:aws:sns:${moto.region}:${moto.accountId}:nowhere-${randomUUID().slice(0, 8)}`));
    expect((await app.post(runAlertJson('missing', 0))).status).toBe(200);
    const worker = app.workers.find((w) => w.name === 'awssns');
    await waitFor(() => worker?.healthSnapshot().state === 'failing', 30_000, 'failing');
    expect(worker?.healthSnapshot()).toMatchObject({ delivered: 0, deadLettered: 0, lastError: expect.stringContaining('fix aws.sns.topicarn') });
  });
});
