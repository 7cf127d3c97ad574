// What a thrown AWS SDK error means for delivery, for every AWS output: throttling (retry after a
// pause), refused credentials (retry, marked auth so the output shows "failing"), a 4xx the service
// names (permanent), everything else (transient). Outputs add their service's own hints.
import { fail, notOwn, retry, type Outcome } from '../dispatch/result.ts';
import { excerpt, retryAfterMs } from './http.ts';

/** Throttling: the worker waits at least this long when the service names no Retry-After. */
export const THROTTLE_AFTER_MS = 1000;

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded', 'LimitExceededException', 'SlowDown', 'RequestThrottled', 'KMSThrottlingException', 'KmsThrottled', 'ThrottledException', 'Throttled']);

// 4xx answers that say "try again", not "this call is wrong": S3's RequestTimeout (400, the upload
// was too slow), OperationAborted (409, a conflicting operation in progress), and IncompleteBody /
// BadDigest (400: the body arrived cut or damaged on the way). As permanent rejections they
// dead-lettered a whole object's alerts.
const TRANSIENT_4XX = new Set(['RequestTimeout', 'OperationAborted', 'IncompleteBody', 'BadDigest']);

/** S3 names the failures of a bucket's SSE-KMS key `KMS.<KMS error>` (KMS.DisabledException, KMS.NotFoundException, …). */
const S3_KMS_HINT = "the bucket's KMS key (SSE-KMS) is disabled, missing or not usable by these credentials: fix the key or its key policy";

const KMS_HINT = "the queue's or topic's KMS key is disabled, missing or not usable by these credentials: fix the key or its key policy";

// Credentials refused or unusable: nothing gets through until someone fixes them, so the output
// shows "failing" and its alerts wait in the queue.
const AUTH: Record<string, string> = {
  AccessDeniedException: 'the credentials lack the permission for this call: fix the IAM policy or rolearn',
  AccessDenied: 'the credentials lack the permission for this call: fix the IAM policy or rolearn',
  AuthorizationErrorException: 'the credentials lack the permission for this call: fix the IAM policy or rolearn',
  AuthorizationError: 'the credentials lack the permission for this call: fix the IAM policy or rolearn',
  UnrecognizedClientException: 'the AWS access key is not valid: check the credentials in the default chain (env, profile, IRSA, instance role)',
  InvalidClientTokenId: 'the AWS access key is not valid: check the credentials in the default chain',
  InvalidAccessKeyId: 'the AWS access key is not valid: check the credentials',
  InvalidSignatureException: 'the AWS secret key does not match the access key: check the credentials',
  SignatureDoesNotMatch: 'the AWS secret key does not match the access key: check the credentials',
  ExpiredTokenException: 'the AWS session token expired: check the credential source (IRSA token, role session)',
  ExpiredToken: 'the AWS session token expired: check the credential source',
  IncompleteSignature: 'the request signature is incomplete: check the credentials',
  MissingAuthenticationToken: 'no credentials were sent: check the AWS credential chain',
  CredentialsProviderError: 'no AWS credentials found: set aws.accesskeyid/secretaccesskey, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, IRSA (AWS_WEB_IDENTITY_TOKEN_FILE) or an instance role',
  // An encrypted queue (SQS) or topic (SNS) whose key cannot be used: nothing gets through until
  // the key is fixed, as with refused credentials (as permanent rejections they dead-lettered everything).
  KmsDisabled: KMS_HINT,
  KmsAccessDenied: KMS_HINT,
  KmsNotFound: KMS_HINT,
  KmsInvalidState: KMS_HINT,
  KmsInvalidKeyUsage: KMS_HINT,
  KmsOptInRequired: KMS_HINT,
  KMSDisabledException: KMS_HINT,
  KMSAccessDeniedException: KMS_HINT,
  KMSNotFoundException: KMS_HINT,
  KMSInvalidStateException: KMS_HINT,
  KMSOptInRequired: KMS_HINT,
};

/**
 * An error code a batch answer gives one entry (SQS's and SNS's `Failed[].Code`) that is the
 * service's state, not the entry's, whatever its SenderFault says: throttling (retried after a pause)
 * or credentials and KMS keys that cannot be used (retried, the output failing). Undefined otherwise.
 */
export function entryCodeOutcome(code: string | undefined, service: string, detail: string): Outcome | undefined {
  if (code === undefined) return undefined;
  if (THROTTLING.has(code)) return notOwn(`throttled by ${service}: ${detail}`, { afterMs: THROTTLE_AFTER_MS });
  const hint = AUTH[code];
  return hint === undefined ? undefined : notOwn(`${detail} (${hint})`, { auth: true });
}

interface AwsSdkError {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

export interface Classified {
  outcome: Outcome;
  /** The service throttled the call (an output with a token bucket drains it). */
  throttled: boolean;
}

/**
 * A thrown SDK error (the call as a whole failed) → one outcome for every alert in the call.
 * `service` names the destination in reasons; `hints` override the generic auth hints by error name.
 */
export function classifyAwsError(err: unknown, service: string, hints: Record<string, string> = {}): Classified {
  const e = (err ?? {}) as AwsSdkError;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const detail = `${name}${status ? ` (HTTP ${status})` : ''}: ${excerpt(e.message ?? String(err))}`;
  if (THROTTLING.has(name) || status === 429) {
    const afterMs = retryAfterMs(e.$response?.headers?.['retry-after']) ?? THROTTLE_AFTER_MS;
    return { outcome: retry(`throttled by ${service}: ${detail}`, { afterMs }), throttled: true };
  }
  const hint =
    hints[name] ?? AUTH[name] ?? (name.startsWith('KMS.') ? S3_KMS_HINT : undefined) ?? (status === 401 || status === 403 ? 'credentials refused: check the AWS credentials and IAM policy' : undefined);
  if (hint !== undefined) return { outcome: retry(`${detail} (${hint})`, { auth: true }), throttled: false };
  // The SDK's own client-side failures (bad region, unreachable endpoint, timeout) and every
  // server fault are transient from here; a 4xx the service names is a permanent rejection.
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && e.$fault !== 'server' && !TRANSIENT_4XX.has(name)) {
    return { outcome: fail(`${service} rejected the call: ${detail}`), throttled: false };
  }
  return { outcome: retry(detail), throttled: false };
}
