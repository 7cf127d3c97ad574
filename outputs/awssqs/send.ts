// One worker batch → SendMessageBatch calls → one outcome per alert. Entries SQS refuses
// (`Failed[]`) are classified alone: SenderFault = the message itself is wrong (dead letter),
// otherwise a server-side failure (retried). A message over the queue's MaximumMessageSize is
// dead-lettered before any call.
import type { SQSClient } from '@aws-sdk/client-sqs';
import { blameWholeCall, fail, sendChunks, settle, type Alert, type Outcome, type SendResult } from '../../src/plugin/index.ts';
import { classifyAwsError } from '../../src/plugin/aws-errors.ts';
import { settleBatchAnswer, type BatchAnswer } from '../../src/plugin/aws-batch.ts';
import { chunkEntries, toEntries, type Entry, type GroupBy } from './entries.ts';

// A missing queue is a configuration problem, not the alerts' fault: they wait (output "failing").
const HINTS = {
  'AWS.SimpleQueueService.NonExistentQueue': 'the queue does not exist: create it or fix aws.sqs.url',
  QueueDoesNotExist: 'the queue does not exist: create it or fix aws.sqs.url',
};

export interface SqsTarget {
  sqs: Pick<SQSClient, 'send'>;
  url: string;
  fifo: boolean;
  groupBy: GroupBy;
  /** The queue's MaximumMessageSize (bytes). */
  maxMessageBytes: number;
}

export async function sendMessages(alerts: readonly Alert[], target: SqsTarget, signal: AbortSignal): Promise<SendResult> {
  const outcomes: Outcome[] = new Array<Outcome>(alerts.length);
  const entries: Entry[] = [];
  for (const entry of toEntries(alerts, target.fifo, target.groupBy)) {
    if (entry.bytes > target.maxMessageBytes) outcomes[entry.index] = fail(`the alert is ${entry.bytes} bytes, over the queue's MaximumMessageSize (${target.maxMessageBytes})`);
    else entries.push(entry);
  }
  const { SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
  await sendChunks(
    chunkEntries(entries),
    outcomes,
    signal,
    async (chunk) => {
      const answer: BatchAnswer = await target.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: target.url,
          Entries: chunk.map((e) => ({ Id: e.id, MessageBody: e.body, ...(e.groupId ? { MessageGroupId: e.groupId, MessageDeduplicationId: e.dedupId } : {}) })),
        }),
        { abortSignal: signal },
      );
      settleBatchAnswer(chunk, answer, outcomes, 'SQS');
    },
    (err, chunk) => blameWholeCall(classifyAwsError(err, 'SQS', HINTS).outcome, chunk.length),
  );
  return settle(outcomes);
}
