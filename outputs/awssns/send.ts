// One worker batch → PublishBatch calls → one outcome per alert. Entries SNS refuses (`Failed[]`)
// are classified alone: SenderFault = the message itself is wrong (dead letter), otherwise a
// server-side failure (retried). A message over SNS's 256 KiB is dead-lettered before any call.
import type { SNSClient } from '@aws-sdk/client-sns';
import { blameWholeCall, fail, sendChunks, settle, type Alert, type Outcome, type SendResult } from '../../src/plugin/index.ts';
import { classifyAwsError } from '../../src/plugin/aws-errors.ts';
import { settleBatchAnswer, type BatchAnswer } from '../../src/plugin/aws-batch.ts';
import { chunkEntries, MAX_MESSAGE_BYTES, toEntries, type Entry } from './entries.ts';

// A missing topic is a configuration problem, not the alerts' fault: they wait (output "failing").
const HINTS = {
  NotFoundException: 'the topic does not exist: create it or fix aws.sns.topicarn',
  NotFound: 'the topic does not exist: create it or fix aws.sns.topicarn',
};

export interface SnsTarget {
  sns: Pick<SNSClient, 'send'>;
  topicArn: string;
  rawjson: boolean;
  fifo: boolean;
}

export async function publishAlerts(alerts: readonly Alert[], target: SnsTarget, signal: AbortSignal): Promise<SendResult> {
  const outcomes: Outcome[] = new Array<Outcome>(alerts.length);
  const entries: Entry[] = [];
  for (const entry of toEntries(alerts, target)) {
    if (entry.bytes > MAX_MESSAGE_BYTES) outcomes[entry.index] = fail(`the alert is ${entry.bytes} bytes (message and attributes), over SNS's limit of ${MAX_MESSAGE_BYTES}`);
    else entries.push(entry);
  }
  const { PublishBatchCommand } = await import('@aws-sdk/client-sns');
  await sendChunks(
    chunkEntries(entries),
    outcomes,
    signal,
    async (chunk) => {
      const answer: BatchAnswer = await target.sns.send(
        new PublishBatchCommand({
          TopicArn: target.topicArn,
          PublishBatchRequestEntries: chunk.map((e) => ({
            Id: e.id,
            Message: e.message,
            ...(e.attributes ? { MessageAttributes: e.attributes } : {}),
            ...(e.groupId ? { MessageGroupId: e.groupId, MessageDeduplicationId: e.dedupId } : {}),
          })),
        }),
        { abortSignal: signal },
      );
      settleBatchAnswer(chunk, answer, outcomes, 'SNS');
    },
    (err, chunk) => blameWholeCall(classifyAwsError(err, 'SNS', HINTS).outcome, chunk.length),
  );
  return settle(outcomes);
}
