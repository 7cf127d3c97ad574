// The answers of Dynatrace's Logs ingest API v2 (POST /api/v2/logs/ingest, its documented response
// codes), for a request of one log record: 204 stored; 200 (a SuccessEnvelope) "only a part of input
// events were ingested due to event invalidity", which for one record means it was not (or not
// whole), and sending it again changes nothing; errors as an ErrorEnvelope
// {"error":{"code","message","constraintViolations":[{path,message,…}]}}.
import { classifyHttp, excerpt, fail, jsonObject, ok, retry, retryAfterMs, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface ErrorEnvelope {
  error?: { code?: number; message?: string; constraintViolations?: { path?: string; message?: string }[] };
}

/** Dynatrace's own words for an answer: error.message and each violation, else the start of the body. */
export function dynatraceMessage(text: string): string {
  const body = jsonObject<ErrorEnvelope & { details?: { message?: string } }>(text);
  const message = body?.error?.message ?? body?.details?.message;
  if (message === undefined) return excerpt(text);
  const violations = (body?.error?.constraintViolations ?? []).map((v) => `${v.path ?? ''}: ${v.message ?? ''}`);
  return excerpt([message, ...violations].join('; '));
}

export function classifyDynatrace(res: HttpResponse, now: number): Outcome {
  const { status } = res;
  if (status === 204) return ok();
  const detail = `HTTP ${status}${res.text ? `: ${dynatraceMessage(res.text)}` : ''}`;
  if (status === 200) return fail(`Dynatrace did not ingest the record whole (${detail})`);
  if (status === 401 || status === 403) return retry(`${detail} (token refused: check dynatrace.apitoken and its logs.ingest scope)`, { auth: true });
  // The licence or the DPS/DDU budget: the environment's own state, the alerts wait for it.
  if (status === 402) return retry(`${detail} (the environment's licence or log budget is exhausted)`);
  if (status === 429) {
    const afterMs = retryAfterMs(res.headers['retry-after'], now);
    return retry(detail, afterMs === undefined ? undefined : { afterMs });
  }
  if (status >= 200 && status < 300) return ok();
  return classifyHttp({ ...res, text: res.text ? dynatraceMessage(res.text) : '' }, now);
}
