// falcosidekick's aws.kinesis: each alert's JSON as a Kinesis Data Streams record. Peregrine batches
// them (PutRecords, up to 500 per call), settles each record by Kinesis's answer, and keys records
// by the alert uuid, so a re-sent alert lands on the same shard.
import { defineOutput, z } from '../../src/plugin/index.ts';
import { awsShared, connectAws } from '../../src/plugin/aws.ts';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from './client.ts';
import { putRecords, type KinesisTarget } from './send.ts';

const streamName = z.string().regex(/^[a-zA-Z0-9_.-]{1,128}$/, 'must be a Kinesis stream name (1-128 letters, digits, _ . -), not an ARN');

export default defineOutput({
  name: 'awskinesis',
  section: ['aws', 'kinesis'],
  shared: awsShared,
  description: 'Put each alert as a JSON record into an AWS Kinesis data stream (PutRecords).',
  schema: z.object({
    streamname: z.union([z.literal(''), streamName]).default('').describe('Name of the Kinesis data stream. Setting it turns the output on. The region is aws.region (or the SDK default).'),
  }),
  example: { streamname: 'falco' },
  enabled: (options) => options.streamname !== '',
  batch: { maxevents: 500, maxbytes: 4_000_000, flushms: 200 },
  concurrency: 4,
  async connect(options, ctx): Promise<KinesisTarget & { client: KinesisClient }> {
    const aws = await connectAws(ctx);
    const kinesis = await createKinesisClient(aws.client);
    return { client: kinesis, kinesis, streamName: options.streamname };
  },
  sendBatch(alerts, { client, signal }) {
    return putRecords(alerts, client, signal);
  },
  close(client) {
    client.client.destroy();
  },
});
