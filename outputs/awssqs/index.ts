// falcosidekick's aws.sqs: each alert's JSON as an SQS message body. Peregrine batches them
// (SendMessageBatch, 10 per call), classifies each entry, and on FIFO queues sets the message group
// and the alert uuid as deduplication id, so a re-sent alert is not delivered twice.
import { defineOutput, z } from '../../src/plugin/index.ts';
import { awsShared, connectAws, regionIn } from '../../src/plugin/aws.ts';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendMessages, type SqsTarget } from './send.ts';

/** The queue's own limit when GetQueueAttributes is not allowed: SQS's default MaximumMessageSize. */
const DEFAULT_MAX_MESSAGE_BYTES = 262_144;

const queueUrl = z.url({ protocol: /^https?$/, error: 'must be an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/falco' });

export default defineOutput({
  name: 'awssqs',
  section: ['aws', 'sqs'],
  shared: awsShared,
  description: 'Send each alert as a JSON message to an AWS SQS queue (SendMessageBatch).',
  schema: z.object({
    url: z.union([z.literal(''), queueUrl]).default('').describe('Queue URL. Setting it turns the output on. A URL ending in .fifo is a FIFO queue.'),
    messagegroupby: z
      .enum(['hostname', 'rule', 'priority', 'source', 'single'])
      .default('hostname')
      .describe('FIFO queues: what the MessageGroupId is (order is kept within a group): the alert hostname, rule, priority, source, or "single" (one group "falco", total order, no parallel consumers).'),
  }),
  example: { url: 'https://sqs.us-east-1.amazonaws.com/123456789012/falco' },
  enabled: (options) => options.url !== '',
  batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 200 },
  concurrency: 4,
  // FIFO order holds only with one call in flight: that is the default for .fifo queues.
  legacySettings: (options) => (options.url.endsWith('.fifo') ? { maxconcurrency: 1 } : {}),
  async connect(options, ctx): Promise<SqsTarget & { client: SQSClient }> {
    const aws = await connectAws(ctx, { region: regionIn(options.url) });
    const { GetQueueAttributesCommand, SQSClient } = await import('@aws-sdk/client-sqs');
    // The queue URL names its endpoint; aws.endpoint wins (LocalStack behind another name).
    const sqs = new SQSClient({ ...aws.client, endpoint: aws.shared.endpoint || new URL(options.url).origin } as NonNullable<ConstructorParameters<typeof SQSClient>[0]>);
    let maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    try {
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: options.url, AttributeNames: ['MaximumMessageSize'] }), { abortSignal: AbortSignal.timeout(ctx.timeoutMs) });
      maxMessageBytes = Number(attrs.Attributes?.MaximumMessageSize ?? DEFAULT_MAX_MESSAGE_BYTES);
    } catch (err) {
      // Senders are often granted sqs:SendMessage only: keep the default and say so once.
      ctx.log.warn({ err: (err as Error).message, maxMessageBytes }, 'cannot read the queue\'s MaximumMessageSize (sqs:GetQueueAttributes); assuming the SQS default');
    }
    return { client: sqs, sqs, url: options.url, fifo: options.url.endsWith('.fifo'), groupBy: options.messagegroupby, maxMessageBytes };
  },
  sendBatch(alerts, { client, signal }) {
    return sendMessages(alerts, client, signal);
  },
  close(client) {
    client.client.destroy();
  },
});
