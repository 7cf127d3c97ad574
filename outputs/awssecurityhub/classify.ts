// What a Security Hub answer means for delivery: whole-call SDK errors and per-finding
// FailedFindings[].ErrorCode. Plugins classify, the worker retries.
import { excerpt, fail, retry, retryAfterMs, type Outcome } from '../../src/plugin/index.ts';

/** Throttling: the worker waits at least this long when the service names no Retry-After. */
const THROTTLE_AFTER_MS = 1000;

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded', 'LimitExceededException', 'SlowDown']);

// Credentials refused or unusable, or the account cannot use Security Hub: nothing will get
// through until someone fixes it, so the output shows "failing" and alerts wait in the queue.
const AUTH: Record<string, string> = {
  AccessDeniedException: 'the credentials lack securityhub:BatchImportFindings (or the finding AwsAccountId is not the calling account): fix the IAM policy, rolearn or accountid',
  AccessDenied: 'the credentials lack securityhub:BatchImportFindings: fix the IAM policy or rolearn',
  UnrecognizedClientException: 'the AWS access key is not valid: check the credentials in the default chain (env, profile, IRSA, instance role)',
  InvalidClientTokenId: 'the AWS access key is not valid: check the credentials in the default chain',
  InvalidSignatureException: 'the AWS secret key does not match the access key: check the credentials',
  SignatureDoesNotMatch: 'the AWS secret key does not match the access key: check the credentials',
  ExpiredTokenException: 'the AWS session token expired: check the credential source (IRSA token, role session)',
  ExpiredToken: 'the AWS session token expired: check the credential source',
  IncompleteSignature: 'the request signature is incomplete: check the credentials',
  MissingAuthenticationToken: 'no credentials were sent: check the AWS credential chain',
  CredentialsProviderError: 'no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, IRSA (AWS_WEB_IDENTITY_TOKEN_FILE) or an instance role',
  InvalidAccessException: 'Security Hub is not enabled for this account in this region: enable it (aws securityhub enable-security-hub) or fix region/accountid',
};

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

export interface Classified {
  outcome: Outcome;
  /** The service throttled the call: the caller drains its token bucket. */
  throttled: boolean;
}

/** A thrown SDK error (the call as a whole failed) → one outcome for every finding in the call. */
export function classifyError(err: unknown): Classified {
  const e = (err ?? {}) as SdkError;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const detail = `${name}${status ? ` (HTTP ${status})` : ''}: ${excerpt(e.message ?? String(err))}`;
  if (THROTTLING.has(name) || status === 429) {
    const afterMs = retryAfterMs(e.$response?.headers?.['retry-after']) ?? THROTTLE_AFTER_MS;
    return { outcome: retry(`throttled by Security Hub: ${detail}`, { afterMs }), throttled: true };
  }
  const hint = AUTH[name] ?? (status === 401 || status === 403 ? 'credentials refused: check the AWS credentials and IAM policy' : undefined);
  if (hint !== undefined) return { outcome: retry(`${detail} (${hint})`, { auth: true }), throttled: false };
  // The SDK's own client-side failures (bad region, unreachable endpoint, timeout) and every
  // server fault are transient from here; a 4xx the service names is a permanent rejection.
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && e.$fault !== 'server') {
    return { outcome: fail(`Security Hub rejected the batch: ${detail}`), throttled: false };
  }
  return { outcome: retry(detail), throttled: false };
}

// FailedFindings[].ErrorCode is free text in the API reference (no documented enum). Codes that
// name a transient condition are retried: throttling/limits, internal/service errors, timeouts.
// Access problems wait for fixed credentials (auth). Anything else — InvalidInput and unknown
// codes — is a rejection of that finding's content: dead-lettered with the code and message.
const THROTTLED_CODE = /throttl|toomanyrequests|limitexceeded|ratelimit|slowdown/i;
const RETRYABLE_CODE = /internal|serviceunavailable|unavailable|timeout|timedout|tryagain/i;
const AUTH_CODE = /accessdenied|unauthori[sz]ed|forbidden|invalidaccess|expiredtoken|unrecognizedclient/i;

export function classifyFailedFinding(code: string | undefined, message: string | undefined): Outcome {
  const c = code ?? 'Unknown';
  const detail = `${c}: ${excerpt(message ?? '')}`;
  if (THROTTLED_CODE.test(c)) return retry(`finding not imported, throttled: ${detail}`, { afterMs: THROTTLE_AFTER_MS });
  if (RETRYABLE_CODE.test(c)) return retry(`finding not imported, transient: ${detail}`);
  if (AUTH_CODE.test(c)) return retry(`finding not imported, access refused: ${detail}`, { auth: true });
  return fail(`finding rejected by Security Hub: ${detail}`);
}
