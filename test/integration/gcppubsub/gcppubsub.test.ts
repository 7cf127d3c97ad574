// gcppubsub against pstest (the Pub/Sub API in memory, Google's own Go fake), reached through
// PUBSUB_EMULATOR_HOST as the Google libraries (and falcosidekick's) read it: 1,000 alerts read
// back from a subscription, each message's data exactly the alert JSON and its attributes exactly
// gcp.pubsub.customattributes; a missing topic keeps alerts queued, the output failing, until it exists.
import { randomUUID } from 'node:crypto';
import { PubSub, type Message, type Subscription } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PubSubInfra } from '../../infra/pubsub/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { expectExactAlerts, postInOrder } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';

describe.skipIf(infraSkipped('pubsub'))('gcppubsub against pstest', () => {
  let ps: PubSubInfra;
  let admin: PubSub;
  const apps: RunningApp[] = [];
  const subscriptions: Subscription[] = [];
  const before = process.env.PUBSUB_EMULATOR_HOST;

  beforeAll(async () => {
    ps = await useInfra<PubSubInfra>('pubsub');
    process.env.PUBSUB_EMULATOR_HOST = ps.host;
    admin = new PubSub({ apiEndpoint: ps.host, projectId: ps.projectId, emulatorMode: true });
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    for (const sub of subscriptions) await sub.close();
    await admin?.close();
    if (before === undefined) delete process.env.PUBSUB_EMULATOR_HOST;
    else process.env.PUBSUB_EMULATOR_HOST = before;
  });

  /** Creates the topic and a subscription; collects what arrives: [data, attributes]. */
  async function topicWithReader(name: string): Promise<[string, Record<string, string>][]> {
    const [topic] = await admin.createTopic(name);
    const [sub] = await topic.createSubscription(`${name}-reader`);
    const got: [string, Record<string, string>][] = [];
    sub.on('message', (m: Message) => {
      got.push([m.data.toString(), { ...m.attributes }]);
      m.ack();
    });
    subscriptions.push(sub);
    return got;
  }
  async function start(topic: string): Promise<RunningApp> {
    const app = await startApp(`gcp:\n  pubsub:\n    projectid: ${ps.projectId}\n    topic: ${topic}\n    customattributes: "env:prod,team:secops"\n    retry:\n      initialbackoffms: 50\n      maxbackoffms: 500\n`);
    apps.push(app);
    return app;
  }
  const worker = (app: RunningApp) => app.workers.find((w) => w.name === 'gcppubsub');

  it('1,000 alerts: one message each, data exactly the alert JSON, attributes exactly customattributes', async () => {
    const topic = `falco-${randomUUID().slice(0, 8)}`;
    const got = await topicWithReader(topic);
    const app = await start(topic);
    const run = `ps-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 1000, { per: 250 });
    await waitFor(() => worker(app)?.healthSnapshot().delivered === 1000, 60_000, '1,000 deliveries');
    await waitFor(() => got.length >= 1000, 30_000, '1,000 messages read');
    expect(got.map(([, attributes]) => attributes)).toEqual(Array.from({ length: 1000 }, () => ({ env: 'prod', team: 'secops' })));
    expectExactAlerts(got.map(([data]) => data), run, 1000);
  });

  it('a missing topic keeps alerts queued (failing, nothing dead-lettered) until it exists', async () => {
    const topic = `late-${randomUUID().slice(0, 8)}`;
    const app = await start(topic);
    const run = `late-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 5);
    await waitFor(() => worker(app)?.healthSnapshot().state === 'failing', 20_000, 'failing on a missing topic');
    expect(worker(app)?.healthSnapshot().lastError).toBe(`Pub/Sub answered NOT_FOUND: topic "projects/${ps.projectId}/topics/${topic}" (topic projects/${ps.projectId}/topics/${topic} does not exist: create it or fix gcp.pubsub.projectid/topic)`);
    expect(app.deadLetters.size()).toBe(0);
    const got = await topicWithReader(topic);
    await waitFor(() => worker(app)?.healthSnapshot().delivered === 5, 20_000, 'delivery once the topic exists');
    await waitFor(() => got.length >= 5, 20_000, '5 messages read');
    expectExactAlerts(got.map(([data]) => data), run, 5);
    expect(got.map(([, attributes]) => attributes)).toEqual(Array.from({ length: 5 }, () => ({ env: 'prod', team: 'secops' })));
  });
});
