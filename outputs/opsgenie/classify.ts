// Alert API answers → outcomes (docs.opsgenie.com "Response"): 202 accepted (processed
// asynchronously: the body's requestId is all we get); 400 invalid JSON and 422 semantic errors
// are final, with Opsgenie's message and field errors; 429 is retried, after Retry-After when
// sent; 401 (bad key, disabled integration) and 403 are the core's credential handling; 402 (plan),
// 404 and 410 are final; 5xx and network errors are retried.
import { classifyHttp, excerpt, fail, jsonObject, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface ErrorBody {
  message?: string;
  errors?: Record<string, unknown>;
  requestId?: string;
}

export function classifyCreate(res: HttpResponse, now: number = Date.now()): Outcome {
  const outcome = classifyHttp(res, now);
  if (outcome.kind !== 'fail') return outcome;
  const body = jsonObject<ErrorBody>(res.text) ?? (res.text ? { message: excerpt(res.text) } : undefined);
  if ((res.status === 400 || res.status === 422) && body?.message) {
    const errors = Object.entries(body.errors ?? {}).map(([field, why]) => `${field}: ${String(why)}`).join('; ');
    return fail(`HTTP ${res.status}: ${body.message}${errors ? ` (${errors})` : ''}${body.requestId ? ` [requestId ${body.requestId}]` : ''}`);
  }
  if (res.status === 404 || res.status === 410) return fail(`${outcome.reason} (no Alert API here: check opsgenie.apiurl / region)`);
  return outcome;
}
