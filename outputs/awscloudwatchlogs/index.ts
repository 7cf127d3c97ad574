// falcosidekick's aws.cloudwatchlogs: each alert's JSON as a log event timestamped with the alert
// time, batched into PutLogEvents calls. The log stream is created at connect when absent. Events
// CloudWatch skips (rejectedLogEventsInfo: too old, too new, expired) are dead-lettered with the reason.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { blameWholeCall, defineOutput, fail, ok, sendChunks, settle, z, type Outcome } from '../../src/plugin/index.ts';
import { awsShared, connectAws } from '../../src/plugin/aws.ts';
import { classifyAwsError } from '../../src/plugin/aws-errors.ts';
import { chunkEvents, MAX_CALL_BYTES, rejectionOf, toEvents, type LogEvent, type RejectedInfo } from './events.ts';

/** falcosidekick's stream name when aws.cloudwatchlogs.logstream is empty. */
const DEFAULT_STREAM = 'falcosidekick-logstream';

const HINTS = { ResourceNotFoundException: 'the log group or log stream does not exist: create it or fix aws.cloudwatchlogs.loggroup' };

interface Client {
  logs: CloudWatchLogsClient;
  stream: string;
}

export default defineOutput({
  name: 'awscloudwatchlogs',
  section: ['aws', 'cloudwatchlogs'],
  shared: awsShared,
  description: 'Send each alert as a JSON log event to AWS CloudWatch Logs (PutLogEvents), timestamped with the alert time.',
  schema: z.object({
    loggroup: z.string().default('').describe('Log group (it must exist). Setting it turns the output on.'),
    logstream: z.string().default('').describe(`Log stream, created at start when absent. Empty: "${DEFAULT_STREAM}", as falcosidekick.`),
  }),
  example: { loggroup: '/falco/alerts' },
  enabled: (options) => options.loggroup !== '',
  batch: { maxevents: 10_000, maxbytes: 1_000_000, flushms: 1000 },
  concurrency: 2,
  async connect(options, ctx): Promise<Client> {
    const aws = await connectAws(ctx);
    const { CloudWatchLogsClient, CreateLogStreamCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const logs = new CloudWatchLogsClient(aws.client as NonNullable<ConstructorParameters<typeof CloudWatchLogsClient>[0]>);
    const stream = options.logstream || DEFAULT_STREAM;
    try {
      await logs.send(new CreateLogStreamCommand({ logGroupName: options.loggroup, logStreamName: stream }), { abortSignal: AbortSignal.timeout(ctx.timeoutMs) });
    } catch (err) {
      const e = err as Error;
      if (e.name === 'ResourceAlreadyExistsException') return { logs, stream };
      logs.destroy();
      if (e.name === 'ResourceNotFoundException') throw new Error(`log group "${options.loggroup}" does not exist: create it or fix aws.cloudwatchlogs.loggroup`, { cause: err });
      throw new Error(`CreateLogStream ${options.loggroup}/${stream} failed (${e.name}: ${e.message})`, { cause: err });
    }
    return { logs, stream };
  },
  async sendBatch(alerts, { client, options, signal }) {
    const { PutLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const outcomes: Outcome[] = new Array<Outcome>(alerts.length);
    const events: LogEvent[] = [];
    for (const event of toEvents(alerts)) {
      if (event.bytes > MAX_CALL_BYTES) outcomes[event.index] = fail(`the alert is ${event.bytes - 26} bytes, over CloudWatch Logs' 1 MiB per event`);
      else events.push(event);
    }
    await sendChunks(
      chunkEvents(events),
      outcomes,
      signal,
      async (chunk) => {
        const res = await client.logs.send(
          new PutLogEventsCommand({
            logGroupName: options.loggroup,
            logStreamName: client.stream,
            logEvents: chunk.map((e) => ({ timestamp: e.timestamp, message: e.message })),
          }),
          { abortSignal: signal },
        );
        const info = res.rejectedLogEventsInfo as RejectedInfo | undefined;
        chunk.forEach((event, i) => {
          const rejected = rejectionOf(info, i);
          outcomes[event.index] = rejected ? fail(`CloudWatch Logs skipped the event: ${rejected}`) : ok();
        });
      },
      (err, chunk) => blameWholeCall(classifyAwsError(err, 'CloudWatch Logs', HINTS).outcome, chunk.length),
    );
    return settle(outcomes);
  },
  close(client) {
    client.logs.destroy();
  },
});
