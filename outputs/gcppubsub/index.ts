// falcosidekick's gcp.pubsub: each alert's JSON as the data of one Pub/Sub message, with
// gcp.pubsub.customattributes as its attributes. A worker batch is published through the library's
// batching (one Publish call for up to 1,000 messages), each message classified by its call's
// answer. PUBSUB_EMULATOR_HOST points the library at an emulator (plain gRPC, no auth).
import type { PubSub, Topic } from '@google-cloud/pubsub';
import { blameWholeCall, defineOutput, gcpKeyFile, gcpShared, keyValueMap, ok, raceSignal, settle, serializeAlert, z, type Outcome } from '../../src/plugin/index.ts';
import { attributeProblems } from './attributes.ts';
import { classifyPublishError } from './classify.ts';

interface Client {
  pubsub: PubSub;
  topic: Topic;
}

export default defineOutput({
  name: 'gcppubsub',
  section: ['gcp', 'pubsub'],
  shared: gcpShared,
  description: 'Publish each alert as a JSON message to a Google Cloud Pub/Sub topic.',
  schema: z.object({
    projectid: z.string().default('').describe('Project of the topic. With topic, turns the output on.'),
    topic: z.string().default('').describe('Topic name (or its full name, projects/<project>/topics/<topic>). With projectid, turns the output on.'),
    customattributes: keyValueMap()
      .default({})
      .describe('Attributes of every message: a map, or "key:value,key:value" (env GCP_PUBSUB_CUSTOMATTRIBUTES). At most 100; keys 1-256 bytes, not starting with "goog"; values up to 1024 bytes.'),
  }),
  example: { projectid: 'my-project', topic: 'falco-alerts' },
  enabled: (options) => options.projectid !== '' && options.topic !== '',
  batch: { maxevents: 1000, maxbytes: 9_000_000, flushms: 100 },
  concurrency: 4,
  validate: (options) => attributeProblems(options.customattributes),
  async connect(options, ctx): Promise<Client> {
    const key = gcpKeyFile(ctx.shared);
    const { PubSub } = await import('@google-cloud/pubsub');
    const pubsub = new PubSub({ projectId: options.projectid, ...(key ? { credentials: key } : {}) });
    // The worker batch is the batch: flushed at once (below); the library splits it at its request limits.
    const topic = pubsub.topic(options.topic, {
      batching: { maxMessages: 1000, maxBytes: 9 * 1024 * 1024, maxMilliseconds: 60_000 },
      // The core retries; the library's own retries (up to 60 s) would stack under it.
      gaxOpts: { retry: null, timeout: ctx.timeoutMs },
    });
    return { pubsub, topic };
  },
  async sendBatch(alerts, { client, options, signal }) {
    const attributes = options.customattributes;
    const sends = alerts.map((alert) => client.topic.publishMessage({ data: Buffer.from(serializeAlert(alert)), attributes }));
    // Sends what is queued now; each message's promise carries its own call's answer.
    client.topic.flush().catch(() => undefined);
    const settled = await raceSignal(Promise.allSettled(sends), signal);
    // Messages of one failed call share its error: one outcome for them, as the core wants a shared failure.
    const failed = new Map<unknown, number>();
    for (const s of settled) if (s.status === 'rejected') failed.set(s.reason, (failed.get(s.reason) ?? 0) + 1);
    const outcomes = new Map<unknown, Outcome>([...failed].map(([err, count]) => [err, blameWholeCall(classifyPublishError(err, client.topic.name), count)]));
    return settle(settled.map((s) => (s.status === 'fulfilled' ? ok() : (outcomes.get(s.reason) as Outcome))));
  },
  async close(client) {
    await client.pubsub.close();
  },
});
