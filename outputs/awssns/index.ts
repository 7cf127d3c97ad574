// falcosidekick's aws.sns: each alert published to an SNS topic, as its output text with message
// attributes, or (rawjson) as the alert JSON. Peregrine batches them (PublishBatch, 10 per call),
// classifies each entry, and on FIFO topics sets the message group (hostname) and the alert uuid as
// deduplication id, so a re-sent alert is not delivered twice.
import { defineOutput, z } from '../../src/plugin/index.ts';
import { awsShared, connectAws, regionIn } from '../../src/plugin/aws.ts';
import type { SNSClient } from '@aws-sdk/client-sns';
import { publishAlerts, type SnsTarget } from './send.ts';

const topicArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, 'must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:falco');

export default defineOutput({
  name: 'awssns',
  section: ['aws', 'sns'],
  shared: awsShared,
  description: 'Publish each alert to an AWS SNS topic (PublishBatch): the output text with message attributes, or the alert JSON.',
  schema: z.object({
    topicarn: z.union([z.literal(''), topicArn]).default('').describe('Topic ARN. Setting it turns the output on. An ARN ending in .fifo is a FIFO topic.'),
    rawjson: z.boolean().default(false).describe('true: the message is the alert JSON. false: the message is the alert output text, with priority, rule, source, tags, hostname and the string and number output fields as message attributes.'),
  }),
  example: { topicarn: 'arn:aws:sns:us-east-1:123456789012:falco' },
  enabled: (options) => options.topicarn !== '',
  batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 200 },
  concurrency: 4,
  // FIFO order holds only with one call in flight: that is the default for .fifo topics.
  legacySettings: (options) => (options.topicarn.endsWith('.fifo') ? { maxconcurrency: 1 } : {}),
  async connect(options, ctx): Promise<SnsTarget & { client: SNSClient }> {
    const aws = await connectAws(ctx, { region: regionIn(options.topicarn) });
    const { SNSClient } = await import('@aws-sdk/client-sns');
    const sns = new SNSClient(aws.client as NonNullable<ConstructorParameters<typeof SNSClient>[0]>);
    return { client: sns, sns, topicArn: options.topicarn, rawjson: options.rawjson, fifo: options.topicarn.endsWith('.fifo') };
  },
  sendBatch(alerts, { client, signal }) {
    return publishAlerts(alerts, client, signal);
  },
  close(client) {
    client.client.destroy();
  },
});
