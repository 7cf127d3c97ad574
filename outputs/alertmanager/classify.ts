// Alertmanager answers → outcomes, per hostport, and the one outcome of a batch sent to all of them.
//
// Alertmanager (api/v2 postAlertsHandler) stores every valid alert of a request and answers 400
// with the validation errors of the others, without saying which alerts they were. The alerts we
// build always pass its validation (classic label names, UTF-8 values, startsAt ≤ endsAt, ≥ 1
// label), so a 400 means something we did not foresee: a refusal of the whole batch, which the
// core sends again in halves until the alert refused is alone (re-posting is harmless, see below).
//
// Several hostports: each must receive each alert, and an outcome is per alert, not per hostport.
// Re-posting an alert is idempotent in Alertmanager (same labels = same alert, merged), so when
// any hostport needs a retry (down, 5xx, 429, timeout, credentials) the batch is retried as a
// whole, to every hostport. When the only failures are permanent (404, 410, 400), retrying cannot
// help: the batch is refused (and halved by the core), and the reason names the hostports that did
// accept it.
import { classifyHttp, fail, ok, refusal, retry, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

export interface HostOutcome {
  /** The hostport's endpoint URL, credentials redacted. */
  url: string;
  outcome: Outcome;
}

/** One hostport's answer to a POST of `size` alerts. */
export function classifyAnswer(res: HttpResponse, size: number, now: number = Date.now()): Outcome {
  const outcome = classifyHttp(res, now);
  if (outcome.kind !== 'fail') return outcome;
  if (res.status === 410) return refusal(410, `${outcome.reason} (Alertmanager ≥ 0.27 has no v1 API: set endpoint: /api/v2/alerts)`);
  if (res.status === 400 && size > 1) return fail(`${outcome.reason} (Alertmanager stored the valid alerts of this batch of ${size} and does not say which it refused)`);
  return outcome;
}

export function combine(hosts: readonly HostOutcome[]): Outcome {
  const failed = hosts.filter((h) => h.outcome.kind !== 'ok');
  if (failed.length === 0) return ok();
  const accepted = hosts.filter((h) => h.outcome.kind === 'ok').map((h) => h.url);
  const detail = failed.map((h) => `${h.url}: ${(h.outcome as { reason: string }).reason}`).join('; ');
  const tail = accepted.length > 0 ? `; accepted by ${accepted.join(', ')}` : '';
  const retries = failed.flatMap((h) => (h.outcome.kind === 'retry' ? [h.outcome] : []));
  if (retries.length === 0) return fail(`${detail}${tail}`, failed.every((h) => h.outcome.kind === 'fail' && h.outcome.whole) ? { whole: true } : undefined);
  const waits = retries.flatMap((r) => (r.afterMs === undefined ? [] : [r.afterMs]));
  const auth = retries.some((r) => r.auth === true);
  return retry(`${detail}${tail}${accepted.length > 0 ? ' (re-sent to every hostport: Alertmanager merges a re-sent alert by its labels)' : ''}`, {
    ...(waits.length > 0 ? { afterMs: Math.max(...waits) } : {}),
    ...(auth ? { auth } : {}),
  });
}
