// falcosidekick's yandex.datastreams: Yandex Data Streams speaks the Kinesis Data Streams API, so
// this is awskinesis's sender (outputs/awskinesis/send.ts: PutRecords, up to 500 records per call,
// each record settled by its own answer, the alert uuid as partition key) pointed at Yandex's
// endpoint and signed with the yandex: section's static key. falcosidekick sends one PutRecord per
// alert (docs/outputs/yandexdatastreams.md).
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { defineOutput, z } from '../../src/plugin/index.ts';
import { connectYandex, YANDEX_AUTH_HINTS, yandexShared } from '../../src/plugin/yandex.ts';
import { createKinesisClient } from '../awskinesis/client.ts';
import { putRecords, streamHints, type KinesisTarget } from '../awskinesis/send.ts';

/** falcosidekick's default endpoint (config.go); the chart writes "" for it. */
const YANDEX_DATASTREAMS_ENDPOINT = 'https://yds.serverless.yandexcloud.net';
const endpointUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://yds.serverless.yandexcloud.net' });
// Data Streams names a stream by its path, /<region>/<folder id>/<database id>/<stream name>.
const streamName = z.string().regex(/^\S+$/, 'must be a stream path such as /ru-central1/b1g…/etn…/falco, without spaces');

const HINTS = { ...YANDEX_AUTH_HINTS, ...streamHints('yandex.datastreams.streamname') };

export default defineOutput({
  name: 'yandexdatastreams',
  section: ['yandex', 'datastreams'],
  shared: yandexShared,
  description: 'Put each alert as a JSON record into a Yandex Data Streams stream (Kinesis-compatible PutRecords).',
  schema: z.object({
    streamname: z.union([z.literal(''), streamName]).default('').describe('The stream, as /<region>/<folder id>/<database id>/<stream name>. Setting it turns the output on.'),
    endpoint: z.union([z.literal(''), endpointUrl]).default(YANDEX_DATASTREAMS_ENDPOINT).describe(`Data Streams endpoint. "" means ${YANDEX_DATASTREAMS_ENDPOINT}.`),
  }),
  example: { streamname: '/ru-central1/b1gexample/etnexample/falco' },
  enabled: (options) => options.streamname !== '',
  // As awskinesis: Data Streams takes PutRecords with Kinesis's limits (500 records, 5 MiB).
  batch: { maxevents: 500, maxbytes: 4_000_000, flushms: 200 },
  concurrency: 4,
  async connect(options, ctx): Promise<KinesisTarget & { client: KinesisClient }> {
    const settings = await connectYandex(ctx, options.endpoint || YANDEX_DATASTREAMS_ENDPOINT);
    const kinesis = await createKinesisClient(settings);
    return { client: kinesis, kinesis, streamName: options.streamname, service: 'Yandex Data Streams', hints: HINTS };
  },
  sendBatch(alerts, { client, signal }) {
    return putRecords(alerts, client, signal);
  },
  close(client) {
    client.client.destroy();
  },
});
