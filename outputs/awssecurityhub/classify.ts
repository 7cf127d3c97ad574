// What a Security Hub answer means for delivery: whole-call SDK errors and per-finding
// FailedFindings[].ErrorCode. Plugins classify, the worker retries.
import { classifyAwsError, THROTTLE_AFTER_MS, type Classified } from '../../src/plugin/aws-errors.ts';
import { excerpt, fail, retry, type Outcome } from '../../src/plugin/index.ts';


// Security Hub's own meaning of the auth errors; the rest comes from the shared AWS table.
const HINTS: Record<string, string> = {
  AccessDeniedException: 'the credentials lack securityhub:BatchImportFindings (or the finding AwsAccountId is not the calling account): fix the IAM policy, rolearn or accountid',
  AccessDenied: 'the credentials lack securityhub:BatchImportFindings: fix the IAM policy or rolearn',
  InvalidAccessException: 'Security Hub is not enabled for this account in this region: enable it (aws securityhub enable-security-hub) or fix region/accountid',
};

/** A thrown SDK error (the call as a whole failed) → one outcome for every finding in the call. */
export function classifyError(err: unknown): Classified {
  return classifyAwsError(err, 'Security Hub', HINTS);
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
