// Discord's answers to "Execute Webhook" → what happens to the alerts of that message. Discord
// answers 204 (200 with the message when the URL asks ?wait=true); errors are JSON
// {"code": <JSON error code>, "message": "…", "errors": {<path>: {"_errors": [{"code","message"}]}}}
// (developers/docs/topics/opcodes-and-status-codes#json):
//   404 10015 Unknown Webhook (deleted)     401 50027 Invalid Webhook Token (regenerated or mistyped)
//   400 50035 Invalid Form Body, 50006 empty message, 50109 invalid JSON: this message is refused
//   429 {"retry_after": <seconds, a float>, "global": bool} with Retry-After         5xx: Discord's side
import { classifyHttp, excerpt, fail, jsonObject, retry, retryAfterMs, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface DiscordError {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  retry_after?: unknown;
}

const SET_A_WORKING_URL = 'create a new webhook and set discord.webhookurl (alerts kept in the dead-letter store)';

export function classifyDiscord(res: HttpResponse, now: number = Date.now()): Outcome {
  if (res.status >= 200 && res.status < 300) return classifyHttp(res, now);
  const body = jsonObject<DiscordError>(res.text);
  const said = body && typeof body.message === 'string' ? `${body.message}${typeof body.code === 'number' ? ` (${body.code})` : ''}` : excerpt(res.text);
  const detail = `Discord answered ${res.status}${said ? ` ${said}` : ''}`;
  if (res.status === 404 || body?.code === 10015) return fail(`${detail}: the webhook was deleted; ${SET_A_WORKING_URL}`, { whole: true });
  if (res.status === 401 || body?.code === 50027) return fail(`${detail}: the webhook token is wrong (regenerated or mistyped); ${SET_A_WORKING_URL}`, { whole: true });
  if (res.status === 429) {
    const seconds = typeof body?.retry_after === 'number' ? body.retry_after : undefined;
    const afterMs = seconds === undefined ? retryAfterMs(res.headers['retry-after'], now) : Math.ceil(seconds * 1000);
    return retry(detail, afterMs === undefined ? undefined : { afterMs });
  }
  if (res.status === 400 && body) return fail(`${detail}${firstFieldError(body.errors)}: Discord refused this message`);
  if (res.status === 403) return retry(`${detail}: Discord refused the webhook access; check discord.webhookurl`, { auth: true });
  const outcome = classifyHttp(res, now);
  return outcome.kind === 'retry' ? { ...outcome, reason: detail } : outcome;
}

/** The first "path: message" of Discord's nested `errors` ("embeds.0.fields.6.value: Must be 1024 or fewer in length."). */
function firstFieldError(errors: unknown, path: string[] = []): string {
  if (errors === null || typeof errors !== 'object') return '';
  const record = errors as Record<string, unknown>;
  const own = record._errors;
  if (Array.isArray(own)) {
    const first = own[0] as { message?: unknown } | undefined;
    if (typeof first?.message === 'string') return ` at ${path.join('.')}: ${excerpt(first.message, 200)}`;
  }
  for (const [key, value] of Object.entries(record)) {
    if (key === '_errors') continue;
    const found = firstFieldError(value, [...path, key]);
    if (found) return found;
  }
  return '';
}
