// SendMessageBatch answers → per-alert outcomes, against a scripted SQS client.
import { describe, expect, it } from 'vitest';
import { awsSdkError, testAlerts } from '../../test/support/alerts.ts';
import { sendMessages, type SqsTarget } from './send.ts';

interface Call {
  QueueUrl: string;
  Entries: { Id: string; MessageBody: string; MessageGroupId?: string; MessageDeduplicationId?: string }[];
}

function target(answer: (call: Call, n: number) => unknown, extra: Partial<SqsTarget> = {}): SqsTarget & { calls: Call[] } {
  const calls: Call[] = [];
  const sqs = {
    send: async (command: { input: Call }) => {
      calls.push(command.input);
      const result = answer(command.input, calls.length - 1);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { sqs: sqs as never, url: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', fifo: false, groupBy: 'hostname', maxMessageBytes: 262_144, calls, ...extra };
}

const allOk = (call: Call) => ({ Successful: call.Entries.map((e) => ({ Id: e.Id })), Failed: [] });
const signal = new AbortController().signal;

describe('awssqs send', () => {
  it('sends 25 alerts in 3 calls and answers ok', async () => {
    const t = target(allOk);
    expect(await sendMessages(testAlerts(25), t, signal)).toEqual({ kind: 'ok' });
    expect(t.calls.map((c) => c.Entries.length)).toEqual([10, 10, 5]);
    expect(t.calls.flatMap((c) => c.Entries.map((e) => JSON.parse(e.MessageBody).uuid))).toEqual(Array.from({ length: 25 }, (_, i) => `alert-${i}`));
  });

  it('dead-letters SenderFault entries, retries the others, and re-sends entries SQS did not answer', async () => {
    const t = target((call) => ({
      Successful: call.Entries.filter((e) => !['1', '2', '3'].includes(e.Id)).map((e) => ({ Id: e.Id })),
      Failed: [
        { Id: '1', SenderFault: true, Code: 'InvalidParameterValue', Message: 'bad' },
        { Id: '2', SenderFault: false, Code: 'InternalError', Message: 'oops' },
      ],
    }));
    const result = await sendMessages(testAlerts(5), t, signal);
    expect(result).toEqual({
      kind: 'partial',
      items: [
        { kind: 'ok' },
        { kind: 'fail', reason: 'SQS refused the message: InvalidParameterValue: bad' },
        { kind: 'retry', reason: 'SQS failed the message: InternalError: oops' },
        { kind: 'retry', reason: 'SQS answered without this entry' },
        { kind: 'ok' },
      ],
    });
  });

  it('retries entries failed for throttling or an unusable KMS key whatever their SenderFault says', async () => {
    const t = target((call) => ({
      Successful: call.Entries.filter((e) => !['0', '1'].includes(e.Id)).map((e) => ({ Id: e.Id })),
      Failed: [
        { Id: '0', SenderFault: true, Code: 'KmsThrottled', Message: 'slow down' },
        { Id: '1', SenderFault: true, Code: 'KmsAccessDenied', Message: 'no key' },
      ],
    }));
    const result = await sendMessages(testAlerts(3), t, signal);
    expect(result).toMatchObject({
      kind: 'partial',
      items: [
        { kind: 'retry', notOwn: true, afterMs: 1000, reason: 'throttled by SQS: KmsThrottled: slow down' },
        { kind: 'retry', notOwn: true, auth: true, reason: expect.stringContaining('KMS key') },
        { kind: 'ok' },
      ],
    });
  });

  it('dead-letters an alert over the queue MaximumMessageSize without sending it', async () => {
    const t = target(allOk, { maxMessageBytes: 2048 });
    const alerts = [...testAlerts(1), ...testAlerts(1, { output: 'x'.repeat(4000), uuid: 'big' })];
    const result = await sendMessages(alerts, t, signal);
    expect(result.kind).toBe('partial');
    expect(result.kind === 'partial' && result.items[1]).toEqual({ kind: 'fail', reason: expect.stringMatching(/^the alert is \d+ bytes, over the queue's MaximumMessageSize \(2048\)$/) });
    expect(t.calls.flatMap((c) => c.Entries)).toHaveLength(1);
  });

  it('FIFO: group id and deduplication id on every entry', async () => {
    const t = target(allOk, { url: 'https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo', fifo: true, groupBy: 'single' });
    await sendMessages(testAlerts(2), t, signal);
    expect(t.calls[0]?.Entries.map((e) => [e.Id, e.MessageGroupId, e.MessageDeduplicationId])).toEqual([
      ['0', 'falco', 'alert-0'],
      ['1', 'falco', 'alert-1'],
    ]);
  });

  it('whole-call errors: throttling stops the run, a 400 on one message fails it, on several fails them as one call (the core halves it)', async () => {
    const throttled = target(() => awsSdkError('RequestThrottled', 400));
    const r1 = await sendMessages(testAlerts(15), throttled, signal);
    expect(throttled.calls).toHaveLength(1);
    expect(r1).toMatchObject({ kind: 'retry', afterMs: 1000, reason: expect.stringContaining('throttled by SQS') });

    const invalid = target(() => awsSdkError('InvalidParameterValue', 400, 'Message must be shorter'));
    expect(await sendMessages(testAlerts(1), invalid, signal)).toMatchObject({ kind: 'fail', reason: expect.stringContaining('SQS rejected the call: InvalidParameterValue') });
    expect(await sendMessages(testAlerts(3), invalid, signal)).toMatchObject({ kind: 'fail', wholeCall: true });

    const denied = target(() => awsSdkError('AccessDenied', 403));
    expect(await sendMessages(testAlerts(3), denied, signal)).toMatchObject({ kind: 'retry', auth: true });
    const down = target(() => awsSdkError('InternalError', 500));
    expect(await sendMessages(testAlerts(3), down, signal)).toMatchObject({ kind: 'retry' });
  });

  it("an encrypted queue's KMS errors: throttling waits, an unusable key holds the alerts (auth) instead of dead-lettering them", async () => {
    const kmsThrottled = target(() => awsSdkError('KmsThrottled', 400));
    expect(await sendMessages(testAlerts(1), kmsThrottled, signal)).toMatchObject({ kind: 'retry', afterMs: 1000, reason: expect.stringContaining('throttled by SQS') });
    for (const name of ['KmsDisabled', 'KmsAccessDenied', 'KmsNotFound']) {
      const key = target(() => awsSdkError(name, 400));
      expect(await sendMessages(testAlerts(1), key, signal)).toMatchObject({ kind: 'retry', auth: true, reason: expect.stringContaining('KMS key') });
    }
  });
});
