// A failed Publish call → an outcome, by its gRPC status code.
// https://cloud.google.com/pubsub/docs/reference/error-codes
import { fail, retry, type Outcome } from '../../src/plugin/index.ts';

/** RESOURCE_EXHAUSTED (quota, flow control) names no delay: the worker waits at least this. */
const THROTTLE_AFTER_MS = 1000;

const NAMES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

export function classifyPublishError(err: unknown, topic: string): Outcome {
  const e = err as { code?: unknown; details?: unknown; message?: unknown };
  const text = typeof e.details === 'string' && e.details !== '' ? e.details : typeof e.message === 'string' ? e.message : String(err);
  const code = typeof e.code === 'number' ? e.code : undefined;
  if (code === undefined || NAMES[code] === undefined) return retry(`Pub/Sub: ${text}`);
  const said = `Pub/Sub answered ${NAMES[code]}: ${text}`;
  switch (code) {
    case 16: // UNAUTHENTICATED
      return retry(`${said} (the credentials were refused: check gcp.credentials or the Application Default Credentials)`, { auth: true });
    case 7: // PERMISSION_DENIED
      return retry(`${said} (the account may not publish to ${topic}: grant it roles/pubsub.publisher)`, { auth: true });
    case 5: // NOT_FOUND: the topic; the configuration's mistake, the alerts wait for the fix
      return retry(`${said} (topic ${topic} does not exist: create it or fix gcp.pubsub.projectid/topic)`, { auth: true });
    case 8: // RESOURCE_EXHAUSTED
      return retry(said, { afterMs: THROTTLE_AFTER_MS });
    case 3: // INVALID_ARGUMENT: this message (its size, its attributes)
    case 11: // OUT_OF_RANGE
    case 12: // UNIMPLEMENTED
    case 6: // ALREADY_EXISTS
      return fail(said);
    default: // CANCELLED, UNKNOWN, DEADLINE_EXCEEDED, FAILED_PRECONDITION, ABORTED, INTERNAL, UNAVAILABLE, DATA_LOSS
      return retry(said);
  }
}
