// Reading an SQS queue empty in tests (awssqs, and awssns through an SQS subscription).
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Receives (and deletes) until `count` messages arrived or `timeoutMs` passed; bodies in receive order. */
export async function drainQueue(sqs: SQSClient, url: string, count: number, timeoutMs: number): Promise<string[]> {
  const bodies: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (bodies.length < count && Date.now() < deadline) {
    // No long polling: moto holds the queue while a receive waits, which stalls the sender.
    const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    const messages = res.Messages ?? [];
    if (!messages.length) await new Promise((r) => setTimeout(r, 50));
    bodies.push(...messages.map((m) => m.Body as string));
    if (messages.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  }
  return bodies;
}
