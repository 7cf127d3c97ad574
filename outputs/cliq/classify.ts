// Zoho Cliq's answers to an incoming-webhook POST → what happens to the alerts of that message.
// Cliq answers 204 No Content (200 on some data centres); errors are JSON {"code": "…", "message":
// "…"} (www.zoho.com/cliq/help/restapi/v2/#Errors):
//   404: the channel or the URL does not exist (renamed, deleted, mistyped)
//   401 (an invalid or deleted webhook token), 403 (the token's user may not post there): refused access
//   400: this message is refused (empty text, malformed slides)
//   429: over 20 requests a minute; Cliq locks the webhook for 10 minutes: Retry-After, else 10 minutes
//   5xx: try later
import { classifyHttp, excerpt, fail, jsonObject, retry, retryAfterMs, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface CliqError {
  code?: unknown;
  message?: unknown;
}

/** Cliq's documented lock period after its rate limit is exceeded. */
export const LOCK_MS = 10 * 60_000;

export function classifyCliq(res: HttpResponse, now: number = Date.now()): Outcome {
  if (res.status >= 200 && res.status < 300) return classifyHttp(res, now);
  const body = jsonObject<CliqError>(res.text);
  const said = body && typeof body.message === 'string' ? `${body.message}${typeof body.code === 'string' ? ` (${body.code})` : ''}` : res.text;
  const detail = `Zoho Cliq answered ${res.status}${said ? ` ${excerpt(said)}` : ''}`;
  if (res.status === 404) return fail(`${detail}: the channel or webhook URL does not exist; check cliq.webhookurl (alerts kept in the dead-letter store)`, { whole: true });
  if (res.status === 400) return fail(`${detail}: Cliq refused this message`);
  if (res.status === 401 || res.status === 403) return retry(`${detail}: Cliq refused the webhook token; check the zapikey of cliq.webhookurl`, { auth: true });
  if (res.status === 429) return retry(detail, { afterMs: retryAfterMs(res.headers['retry-after'], now) ?? LOCK_MS });
  const outcome = classifyHttp(res, now);
  return outcome.kind === 'retry' ? { ...outcome, reason: detail } : outcome;
}
