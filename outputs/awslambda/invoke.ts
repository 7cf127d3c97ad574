// One alert → one Lambda Invoke, and what its answer means. A function that ran and failed (the
// `X-Amz-Function-Error` header, Unhandled or Handled) is retried: the invocation reached the
// function but the alert was not processed (a timeout, a crash, its own downstream down), and the
// retry budget ends in a dead letter that names the function's error.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { excerpt, ok, retry, serializeAlert, type Alert, type Outcome } from '../../src/plugin/index.ts';
import { classifyAwsError } from '../../src/plugin/aws-errors.ts';

// A missing function is a configuration problem, not the alert's fault: it waits (output "failing").
const HINTS = { ResourceNotFoundException: 'the function does not exist: create it or fix aws.lambda.functionname' };

// Answers that say "later": the function is being created or updated (409), a SnapStart version or
// the function is not ready yet (409, 502).
const TRANSIENT = new Set(['ResourceConflictException', 'SnapStartNotReadyException', 'ResourceNotReadyException']);

export interface LambdaTarget {
  lambda: Pick<LambdaClient, 'send'>;
  functionName: string;
  invocationType: 'RequestResponse' | 'Event';
  logType: 'Tail' | 'None';
}

interface InvokeAnswer {
  StatusCode?: number;
  FunctionError?: string;
  Payload?: Uint8Array;
}

/** The function's error answer ({"errorType","errorMessage"} from the runtime), in a few words. */
function functionErrorText(payload: Uint8Array | undefined): string {
  const text = payload ? Buffer.from(payload).toString('utf8') : '';
  try {
    const body = JSON.parse(text) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof body.errorType === 'string' || typeof body.errorMessage === 'string') return excerpt(`${String(body.errorType ?? 'Error')}: ${String(body.errorMessage ?? '')}`);
  } catch {
    // not JSON: the text as it is
  }
  return excerpt(text);
}

/** An Invoke answer (the call itself succeeded). */
export function invokeOutcome(answer: InvokeAnswer, invocationType: LambdaTarget['invocationType']): Outcome {
  if (answer.FunctionError) return retry(`the function failed (${answer.FunctionError}): ${functionErrorText(answer.Payload)}`);
  const expected = invocationType === 'Event' ? 202 : 200;
  if (answer.StatusCode !== expected) return retry(`Lambda answered status ${String(answer.StatusCode)} to the ${invocationType} invocation (expected ${expected})`);
  return ok();
}

/** A thrown error: the invocation did not happen (or its answer was lost). */
export function classifyLambdaError(err: unknown): Outcome {
  const e = (err ?? {}) as { name?: string; message?: string };
  if (e.name !== undefined && TRANSIENT.has(e.name)) return retry(`the function is not ready (${e.name}): ${excerpt(e.message ?? '')}`);
  // A 4xx about the payload (RequestTooLargeException, InvalidRequestContentException) is the alert's: a dead letter.
  return classifyAwsError(err, 'Lambda', HINTS).outcome;
}

export async function invoke(alert: Alert, target: LambdaTarget, signal: AbortSignal): Promise<Outcome> {
  const { InvokeCommand } = await import('@aws-sdk/client-lambda');
  try {
    const answer = await target.lambda.send(
      new InvokeCommand({
        FunctionName: target.functionName,
        InvocationType: target.invocationType,
        LogType: target.logType,
        Payload: Buffer.from(serializeAlert(alert), 'utf8'),
      }),
      { abortSignal: signal },
    );
    return invokeOutcome(answer, target.invocationType);
  } catch (err) {
    if (signal.aborted) throw err;
    return classifyLambdaError(err);
  }
}
