// Events API v2 answers → outcomes. PagerDuty documents: 202 accepted; 400 invalid event (do not
// retry; the body's `errors` say why); 429 too many calls (retry after some time: no Retry-After
// is documented, so the core's backoff applies unless one is sent); 5xx and network errors retry.
// 401/403 are the core's credential handling; 404/410 (the URL or integration is gone) are final.
import { classifyHttp, excerpt, fail, jsonObject, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface ErrorBody {
  status?: string;
  message?: string;
  errors?: unknown[];
}

export function classifyEnqueue(res: HttpResponse, now: number = Date.now()): Outcome {
  const outcome = classifyHttp(res, now);
  if (outcome.kind !== 'fail') return outcome;
  if (res.status === 400) {
    const body = jsonObject<ErrorBody>(res.text) ?? (res.text ? { message: excerpt(res.text) } : undefined);
    if (body?.message || body?.errors) {
      const errors = (body.errors ?? []).map(String).join('; ');
      return fail(`HTTP 400 ${body.status ?? ''}: ${body.message ?? ''}${errors ? ` (${errors})` : ''}`.replace(/ +:/, ':'));
    }
  }
  if (res.status === 404 || res.status === 410) return fail(`${outcome.reason} (no Events API here: check pagerduty.apiurl / region, and that the integration still exists)`);
  return outcome;
}
