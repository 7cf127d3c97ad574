// Datadog's answers (Events API v1, Logs intake v2) → outcomes. Both document: 2xx accepted; 400
// a request it cannot take ({"errors":[...]}: strings in v1, {status,title,detail} objects in v2);
// 401/403 a missing or refused API key; 408 a request timeout; 413 a payload too large; 429 rate
// limited, with X-RateLimit-Reset (seconds until the window resets); 5xx its own trouble.
import { classifyHttp, excerpt, fail, jsonObject, refusal, retry, retryAfterMs, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface ErrorBody {
  errors?: unknown[];
}

/** The errors Datadog lists in its answer, as one line; the body's excerpt when it lists none. */
function datadogErrors(text: string): string {
  const errors = jsonObject<ErrorBody>(text)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return excerpt(text);
  const lines = errors.map((e) => {
    if (typeof e === 'string') return e;
    const { title, detail } = (e ?? {}) as { title?: unknown; detail?: unknown };
    return [title, detail].filter((part) => typeof part === 'string' && part !== '').join(': ');
  });
  return excerpt(lines.filter((l) => l !== '').join('; '));
}

/** `output`: the YAML key, named in the hints ("datadog" or "datadoglogs"). */
export function classifyDatadog(res: HttpResponse, now: number, output: string): Outcome {
  const { status } = res;
  if (status >= 200 && status < 300) return classifyHttp(res, now);
  const detail = `HTTP ${status}${res.text ? `: ${datadogErrors(res.text)}` : ''}`;
  if (status === 401 || status === 403) return retry(`${detail} (API key refused: check ${output}.apikey, and that ${output}.host is the site the key belongs to)`, { auth: true });
  if (status === 429) {
    const afterMs = retryAfterMs(res.headers['retry-after'], now) ?? retryAfterMs(res.headers['x-ratelimit-reset'], now);
    return retry(detail, afterMs === undefined ? undefined : { afterMs });
  }
  if (status === 404 || status === 405 || status === 410) return refusal(status, `${detail} (no Datadog API here: check ${output}.host)`);
  if (status === 413) return fail(`${detail} (payload too large)`);
  const outcome = classifyHttp(res, now);
  if (status >= 300 && status < 400) return outcome; // a redirect, named with its Location
  if (outcome.kind === 'fail') return refusal(status, detail);
  return outcome.kind === 'retry' ? retry(detail, outcome.afterMs === undefined ? undefined : { afterMs: outcome.afterMs }) : outcome;
}

/** The outcome with `apikey` replaced by *** in its reason (an answer that echoes the request URL would carry it). */
export function withoutKey(outcome: Outcome, apikey: string): Outcome {
  if (outcome.kind === 'ok' || apikey === '' || !outcome.reason.includes(apikey)) return outcome;
  return { ...outcome, reason: outcome.reason.replaceAll(apikey, '***') };
}
