// PublishBatch answers → per-alert outcomes, against a scripted SNS client.
import { describe, expect, it } from 'vitest';
import { awsSdkError, testAlerts } from '../../test/support/alerts.ts';
import { publishAlerts, type SnsTarget } from './send.ts';

interface Call {
  TopicArn: string;
  PublishBatchRequestEntries: { Id: string; Message: string; MessageAttributes?: Record<string, unknown>; MessageGroupId?: string; MessageDeduplicationId?: string }[];
}

function target(answer: (call: Call, n: number) => unknown, extra: Partial<SnsTarget> = {}): SnsTarget & { calls: Call[] } {
  const calls: Call[] = [];
  const sns = {
    send: async (command: { input: Call }) => {
      calls.push(command.input);
      const result = answer(command.input, calls.length - 1);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { sns: sns as never, topicArn: 'arn:aws:sns:us-east-1:123456789012:falco', rawjson: true, fifo: false, calls, ...extra };
}

const allOk = (call: Call) => ({ Successful: call.PublishBatchRequestEntries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })), Failed: [] });
const signal = new AbortController().signal;

describe('awssns send', () => {
  it('publishes 25 alerts in 3 calls to the topic and answers ok', async () => {
    const t = target(allOk);
    expect(await publishAlerts(testAlerts(25), t, signal)).toEqual({ kind: 'ok' });
    expect(t.calls.map((c) => [c.TopicArn, c.PublishBatchRequestEntries.length])).toEqual([
      ['arn:aws:sns:us-east-1:123456789012:falco', 10],
      ['arn:aws:sns:us-east-1:123456789012:falco', 10],
      ['arn:aws:sns:us-east-1:123456789012:falco', 5],
    ]);
    expect(t.calls.flatMap((c) => c.PublishBatchRequestEntries.map((e) => JSON.parse(e.Message).uuid))).toEqual(Array.from({ length: 25 }, (_, i) => `alert-${i}`));
    expect(t.calls[0]?.PublishBatchRequestEntries[0]).not.toHaveProperty('MessageAttributes');
  });

  it('without rawjson: output text and message attributes on every entry', async () => {
    const t = target(allOk, { rawjson: false });
    await publishAlerts(testAlerts(2), t, signal);
    const [first] = t.calls[0]?.PublishBatchRequestEntries ?? [];
    expect(first?.Message).toMatch(/^10:21:36.167531875: Notice A shell was spawned/);
    expect(first?.MessageAttributes).toMatchObject({ priority: { DataType: 'String', StringValue: 'Notice' }, 'evt.time': { DataType: 'Number', StringValue: '1700000000167531875' } });
  });

  it('dead-letters SenderFault entries, retries the others, and re-sends entries SNS did not answer', async () => {
    const t = target((call) => ({
      Successful: call.PublishBatchRequestEntries.filter((e) => !['1', '2', '3'].includes(e.Id)).map((e) => ({ Id: e.Id })),
      Failed: [
        { Id: '1', SenderFault: true, Code: 'InvalidParameter', Message: 'Invalid parameter: Message too long' },
        { Id: '2', SenderFault: false, Code: 'InternalError', Message: 'oops' },
      ],
    }));
    expect(await publishAlerts(testAlerts(5), t, signal)).toEqual({
      kind: 'partial',
      items: [
        { kind: 'ok' },
        { kind: 'fail', reason: 'SNS refused the message: InvalidParameter: Invalid parameter: Message too long' },
        { kind: 'retry', reason: 'SNS failed the message: InternalError: oops' },
        { kind: 'retry', reason: 'SNS answered without this entry' },
        { kind: 'ok' },
      ],
    });
  });

  it('dead-letters an alert over 256 KiB without sending it', async () => {
    const t = target(allOk);
    const alerts = [...testAlerts(1), ...testAlerts(1, { output: 'x'.repeat(262_144), uuid: 'big' })];
    const result = await publishAlerts(alerts, t, signal);
    expect(result).toEqual({ kind: 'partial', items: [{ kind: 'ok' }, { kind: 'fail', reason: expect.stringMatching(/^the alert is \d{6} bytes \(message and attributes\), over SNS's limit of 262144$/) }] });
    expect(t.calls.flatMap((c) => c.PublishBatchRequestEntries.map((e) => JSON.parse(e.Message).uuid))).toEqual(['alert-0']);
  });

  it('FIFO: group id and deduplication id on every entry', async () => {
    const t = target(allOk, { topicArn: 'arn:aws:sns:us-east-1:123456789012:falco.fifo', fifo: true });
    await publishAlerts(testAlerts(2), t, signal);
    expect(t.calls[0]?.PublishBatchRequestEntries.map((e) => [e.Id, e.MessageGroupId, e.MessageDeduplicationId])).toEqual([
      ['0', 'node-1', 'alert-0'],
      ['1', 'node-1', 'alert-1'],
    ]);
  });

  it('whole-call errors: throttling stops the run, a 400 on one message fails it, on several fails them as one call (the core halves it), a missing topic waits', async () => {
    const throttled = target(() => awsSdkError('ThrottledException', 400));
    const r1 = await publishAlerts(testAlerts(15), throttled, signal);
    expect(throttled.calls).toHaveLength(1);
    expect(r1).toMatchObject({ kind: 'retry', afterMs: 1000, reason: expect.stringContaining('throttled by SNS') });

    const invalid = target(() => awsSdkError('InvalidParameterException', 400, 'Invalid parameter'));
    expect(await publishAlerts(testAlerts(1), invalid, signal)).toMatchObject({ kind: 'fail', reason: expect.stringContaining('SNS rejected the call: InvalidParameterException') });
    expect(await publishAlerts(testAlerts(3), invalid, signal)).toMatchObject({ kind: 'fail', wholeCall: true });

    const missing = target(() => awsSdkError('NotFoundException', 404, 'Topic does not exist'));
    expect(await publishAlerts(testAlerts(3), missing, signal)).toMatchObject({ kind: 'retry', auth: true, reason: expect.stringContaining('fix aws.sns.topicarn') });
    const denied = target(() => awsSdkError('AuthorizationErrorException', 403));
    expect(await publishAlerts(testAlerts(3), denied, signal)).toMatchObject({ kind: 'retry', auth: true });
    const down = target(() => awsSdkError('InternalErrorException', 500));
    expect(await publishAlerts(testAlerts(3), down, signal)).toMatchObject({ kind: 'retry' });
  });
});
