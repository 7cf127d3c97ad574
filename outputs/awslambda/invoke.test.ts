// Invoke answers and errors → the alert's outcome, against a scripted Lambda client.
import { describe, expect, it } from 'vitest';
import { serializeAlert } from '../../src/plugin/index.ts';
import { awsSdkError, testAlerts } from '../../test/support/alerts.ts';
import { classifyLambdaError, invoke, invokeOutcome, type LambdaTarget } from './invoke.ts';

interface Call {
  FunctionName: string;
  InvocationType: string;
  LogType: string;
  Payload: Uint8Array;
}

function target(answer: unknown, extra: Partial<LambdaTarget> = {}): LambdaTarget & { calls: Call[] } {
  const calls: Call[] = [];
  const lambda = {
    send: async (command: { input: Call }) => {
      calls.push(command.input);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { lambda: lambda as never, functionName: 'falco-handler', invocationType: 'RequestResponse', logType: 'Tail', calls, ...extra };
}

const signal = new AbortController().signal;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('awslambda invoke', () => {
  it('invokes the function with the alert JSON as the payload, falcosidekick\'s invocation and log types', async () => {
    const [alert] = testAlerts(1);
    const t = target({ StatusCode: 200, Payload: json(null) });
    expect(await invoke(alert as never, t, signal)).toEqual({ kind: 'ok' });
    expect(t.calls).toEqual([{ FunctionName: 'falco-handler', InvocationType: 'RequestResponse', LogType: 'Tail', Payload: Buffer.from(serializeAlert(alert as never)) }]);
    expect(Buffer.from(t.calls[0]?.Payload ?? []).toString()).toContain('"evt.time":1700000000167531875');
  });

  it('Event: delivered on 202 (queued by Lambda)', async () => {
    const t = target({ StatusCode: 202 }, { invocationType: 'Event', logType: 'None' });
    expect(await invoke(testAlerts(1)[0] as never, t, signal)).toEqual({ kind: 'ok' });
    expect(t.calls[0]).toMatchObject({ InvocationType: 'Event', LogType: 'None' });
  });

  it.each([
    ['200 with a payload', { StatusCode: 200, Payload: json({ ok: true }) }, 'RequestResponse', { kind: 'ok' }],
    ['202', { StatusCode: 202 }, 'Event', { kind: 'ok' }],
    [
      'an Unhandled error',
      { StatusCode: 200, FunctionError: 'Unhandled', Payload: json({ errorType: 'Error', errorMessage: 'downstream is down', trace: ['at handler'] }) },
      'RequestResponse',
      { kind: 'retry', reason: 'the function failed (Unhandled): Error: downstream is down' },
    ],
    [
      'a timeout',
      { StatusCode: 200, FunctionError: 'Unhandled', Payload: json({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' }) },
      'RequestResponse',
      { kind: 'retry', reason: 'the function failed (Unhandled): Sandbox.Timedout: Task timed out after 3.00 seconds' },
    ],
    ['a Handled error, not JSON', { StatusCode: 200, FunctionError: 'Handled', Payload: Buffer.from('not json') }, 'RequestResponse', { kind: 'retry', reason: 'the function failed (Handled): not json' }],
    ['an error without a payload', { StatusCode: 200, FunctionError: 'Unhandled' }, 'RequestResponse', { kind: 'retry', reason: 'the function failed (Unhandled): ' }],
    ['204 (a dry run)', { StatusCode: 204 }, 'RequestResponse', { kind: 'retry', reason: 'Lambda answered status 204 to the RequestResponse invocation (expected 200)' }],
    ['200 to an Event', { StatusCode: 200 }, 'Event', { kind: 'retry', reason: 'Lambda answered status 200 to the Event invocation (expected 202)' }],
  ] as const)('answer: %s (%s)', (_, answer, type, expected) => {
    expect(invokeOutcome(answer, type)).toEqual(expected);
  });

  it.each([
    ['TooManyRequestsException', 429, { kind: 'retry', afterMs: 1000 }],
    ['ResourceNotFoundException', 404, { kind: 'retry', auth: true, reason: expect.stringContaining('the function does not exist: create it or fix aws.lambda.functionname') }],
    ['AccessDeniedException', 403, { kind: 'retry', auth: true }],
    ['UnrecognizedClientException', 403, { kind: 'retry', auth: true }],
    ['KMSAccessDeniedException', 502, { kind: 'retry', auth: true }],
    ['ResourceConflictException', 409, { kind: 'retry', reason: expect.stringContaining('the function is not ready') }],
    ['SnapStartNotReadyException', 409, { kind: 'retry', reason: expect.stringContaining('the function is not ready') }],
    ['ResourceNotReadyException', 502, { kind: 'retry' }],
    ['EC2ThrottledException', 502, { kind: 'retry' }],
    ['ServiceException', 500, { kind: 'retry' }],
    ['RequestTooLargeException', 413, { kind: 'fail', reason: expect.stringContaining('Lambda rejected the call: RequestTooLargeException (HTTP 413)') }],
    ['InvalidRequestContentException', 400, { kind: 'fail' }],
    ['UnsupportedMediaTypeException', 415, { kind: 'fail' }],
  ])('%s (%i)', (name, status, expected) => {
    const outcome = classifyLambdaError(awsSdkError(name, status));
    expect(outcome).toMatchObject(expected);
    if (expected.kind === 'retry' && !('auth' in expected)) expect(outcome).not.toHaveProperty('auth');
  });

  it('TooManyRequestsException: the Retry-After Lambda sends wins', () => {
    expect(classifyLambdaError(awsSdkError('TooManyRequestsException', 429, 'Rate Exceeded.', { 'retry-after': '3' }))).toMatchObject({ kind: 'retry', afterMs: 3000 });
  });

  it('a thrown error is classified, a network error retried', async () => {
    expect(await invoke(testAlerts(1)[0] as never, target(awsSdkError('RequestTooLargeException', 413)), signal)).toMatchObject({ kind: 'fail' });
    expect(await invoke(testAlerts(1)[0] as never, target(new Error('connect ECONNREFUSED 127.0.0.1:9')), signal)).toMatchObject({ kind: 'retry', reason: expect.stringContaining('ECONNREFUSED') });
  });

  it('at the deadline the abort is thrown to the core, not classified', async () => {
    const aborted = AbortSignal.abort(new Error('timed out after 10000 ms'));
    await expect(invoke(testAlerts(1)[0] as never, target(new Error('aborted')), aborted)).rejects.toThrow('aborted');
  });
});
