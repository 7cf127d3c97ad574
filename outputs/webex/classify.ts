// Webex's answers to an incoming-webhook POST → what happens to the alerts of that message. Webex
// answers 204 No Content; errors are JSON {"message": "…", "errors": [{"description": "…"}],
// "trackingId": "…"} (developer.webex.com/docs/basics#api-errors):
//   404 Not Found, 410 Gone: the webhook was deleted (or its URL mistyped)
//   400 Bad Request (too long, empty, malformed): this message is refused
//   401, 403: refused access     429 (Retry-After), 423 Locked (Retry-After), 5xx (503 Retry-After): try later
import { classifyHttp, excerpt, fail, jsonObject, retry, retryAfterMs, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface WebexError {
  message?: unknown;
  errors?: { description?: unknown }[];
  trackingId?: unknown;
}

const SET_A_WORKING_URL = 'add the Incoming Webhooks app to the space again and set webex.webhookurl (alerts kept in the dead-letter store)';

export function classifyWebex(res: HttpResponse, now: number = Date.now()): Outcome {
  if (res.status >= 200 && res.status < 300) return classifyHttp(res, now);
  const body = jsonObject<WebexError>(res.text);
  const message = typeof body?.message === 'string' ? body.message : excerpt(res.text);
  const tracking = typeof body?.trackingId === 'string' ? ` (trackingId ${body.trackingId})` : '';
  const detail = `Webex answered ${res.status}${message ? ` ${excerpt(message)}` : ''}${tracking}`;
  if (res.status === 404 || res.status === 410) return fail(`${detail}: the webhook was deleted or its URL is wrong; ${SET_A_WORKING_URL}`, { whole: true });
  if (res.status === 400) return fail(`${detail}: Webex refused this message`);
  if (res.status === 401 || res.status === 403) return retry(`${detail}: Webex refused the webhook; check webex.webhookurl`, { auth: true });
  if (res.status === 423) {
    const afterMs = retryAfterMs(res.headers['retry-after'], now);
    return retry(detail, afterMs === undefined ? undefined : { afterMs });
  }
  const outcome = classifyHttp(res, now);
  return outcome.kind === 'retry' ? { ...outcome, reason: detail } : outcome;
}
