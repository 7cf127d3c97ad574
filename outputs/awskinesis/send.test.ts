// PutRecords answers → per-alert outcomes, against a scripted Kinesis client.
import { describe, expect, it } from 'vitest';
import { awsSdkError, testAlerts } from '../../test/support/alerts.ts';
import { classifyKinesisError, putRecords, recordOutcome, type KinesisTarget } from './send.ts';

interface Call {
  StreamName: string;
  Records: { Data: Uint8Array; PartitionKey: string }[];
}

function target(answer: (call: Call, n: number) => unknown): KinesisTarget & { calls: Call[] } {
  const calls: Call[] = [];
  const kinesis = {
    send: async (command: { input: Call }) => {
      calls.push(command.input);
      const result = answer(command.input, calls.length - 1);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { kinesis: kinesis as never, streamName: 'falco', calls };
}

const allOk = (call: Call) => ({ FailedRecordCount: 0, Records: call.Records.map((_, i) => ({ SequenceNumber: String(i), ShardId: 'shardId-000000000000' })) });
const signal = new AbortController().signal;

describe('awskinesis send', () => {
  it('sends 1,201 alerts in 3 calls to the stream, in order, and answers ok', async () => {
    const t = target(allOk);
    expect(await putRecords(testAlerts(1201), t, signal)).toEqual({ kind: 'ok' });
    expect(t.calls.map((c) => [c.StreamName, c.Records.length])).toEqual([['falco', 500], ['falco', 500], ['falco', 201]]);
    const sent = t.calls.flatMap((c) => c.Records.map((r) => [r.PartitionKey, JSON.parse(Buffer.from(r.Data).toString()).uuid]));
    expect(sent).toEqual(Array.from({ length: 1201 }, (_, i) => [`alert-${i}`, `alert-${i}`]));
  });

  it('settles each record by its position: throughput retried alone after a pause, InternalFailure retried, a missing answer retried', async () => {
    const t = target(() => ({
      FailedRecordCount: 2,
      Records: [
        { SequenceNumber: '1', ShardId: 's' },
        { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard shardId-000000000001' },
        { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' },
        { SequenceNumber: '4', ShardId: 's' },
      ],
    }));
    expect(await putRecords(testAlerts(5), t, signal)).toEqual({
      kind: 'partial',
      items: [
        { kind: 'ok' },
        { kind: 'retry', notOwn: true, afterMs: 1000, reason: 'throttled by Kinesis: ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000001' },
        { kind: 'retry', reason: 'Kinesis failed the record: InternalFailure: Internal service failure.' },
        { kind: 'ok' },
        { kind: 'retry', reason: 'Kinesis answered without this record' },
      ],
    });
  });

  it.each([
    ['ProvisionedThroughputExceededException', { kind: 'retry', notOwn: true, afterMs: 1000 }],
    ['KMSThrottlingException', { kind: 'retry', notOwn: true, afterMs: 1000 }],
    ['KMSAccessDeniedException', { kind: 'retry', notOwn: true, auth: true }],
    ['KMSDisabledException', { kind: 'retry', notOwn: true, auth: true }],
    ['InternalFailure', { kind: 'retry', reason: 'Kinesis failed the record: InternalFailure: m' }],
    ['SomethingNew', { kind: 'retry', reason: 'Kinesis failed the record: SomethingNew: m' }],
  ])('a record failed with %s', (code, expected) => {
    const outcome = recordOutcome(code, 'm');
    expect(outcome).toMatchObject(expected);
    if (!('notOwn' in expected)) expect(outcome).not.toHaveProperty('notOwn');
  });

  it.each([
    ['ProvisionedThroughputExceededException', 400, { kind: 'retry', afterMs: 1000 }],
    ['LimitExceededException', 400, { kind: 'retry', afterMs: 1000 }],
    ['KMSThrottlingException', 400, { kind: 'retry', afterMs: 1000 }],
    ['ResourceInUseException', 400, { kind: 'retry', reason: expect.stringContaining('not ACTIVE') }],
    ['ResourceNotFoundException', 400, { kind: 'retry', auth: true, reason: expect.stringContaining('fix aws.kinesis.streamname') }],
    ['AccessDeniedException', 400, { kind: 'retry', auth: true }],
    ['UnrecognizedClientException', 400, { kind: 'retry', auth: true }],
    ['KMSDisabledException', 400, { kind: 'retry', auth: true }],
    ['KMSNotFoundException', 400, { kind: 'retry', auth: true }],
    ['InvalidArgumentException', 400, { kind: 'fail', reason: expect.stringContaining('Kinesis rejected the call: InvalidArgumentException') }],
    ['ValidationException', 400, { kind: 'fail' }],
    ['InternalFailureException', 500, { kind: 'retry' }],
    ['ServiceUnavailable', 503, { kind: 'retry' }],
  ])('a call failed with %s (%i)', (name, status, expected) => {
    const outcome = classifyKinesisError(awsSdkError(name, status));
    expect(outcome).toMatchObject(expected);
    if (expected.kind === 'retry' && !('auth' in expected)) expect(outcome).not.toHaveProperty('auth');
  });

  it('a network error (no HTTP status) is retried', () => {
    expect(classifyKinesisError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { name: 'Error' }))).toMatchObject({ kind: 'retry' });
  });

  it('whole-call errors: throttling stops the run, a refusal of one record fails it, of several fails them as one call (the core halves it)', async () => {
    const big = testAlerts(1, { output: 'x'.repeat(3_000_000) });
    const throttled = target(() => awsSdkError('ProvisionedThroughputExceededException', 400));
    const r1 = await putRecords([...big, ...big, ...big], throttled, signal);
    expect(throttled.calls).toHaveLength(1);
    expect(r1).toMatchObject({ kind: 'retry', afterMs: 1000 });

    const invalid = target(() => awsSdkError('ValidationException', 400, 'Member must have length less than or equal to 1048576'));
    expect(await putRecords(testAlerts(1), invalid, signal)).toEqual({ kind: 'fail', reason: 'Kinesis rejected the call: ValidationException (HTTP 400): Member must have length less than or equal to 1048576' });
    expect(await putRecords(testAlerts(3), invalid, signal)).toMatchObject({ kind: 'fail', wholeCall: true });

    const missing = target(() => awsSdkError('ResourceNotFoundException', 400, 'Stream falco under account 123456789012 not found.'));
    expect(await putRecords(testAlerts(3), missing, signal)).toMatchObject({ kind: 'retry', auth: true });
  });
});
