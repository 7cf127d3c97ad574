// Rocket.Chat's answers to an incoming-webhook POST (apps/meteor/app/integrations/server/api/api.ts):
// 200 {"success":true}; 400 {"success":false,"error":"…"} (`invalid-channel`: the integration's
// channel is gone; anything else: this message); 503 "Service Unavailable" while the integration is
// disabled; 401/403 for an unknown integration or token. Its API rate limiter (on by default, 10
// calls a minute) answers 429 "error-too-many-requests" and puts X-RateLimit-Remaining and
// X-RateLimit-Reset (epoch ms on the server's clock) on every answer.
import { fail, jsonObject, retry, type HttpResponse } from '../../src/plugin/index.ts';
import { classifyWebhookAnswer, type ChatVerdict } from '../slack/classify.ts';

/**
 * Longest wait read from X-RateLimit-Reset: Rocket.Chat's default window, and the core's default
 * retry.maxbackoffms (a longer hold would come back as a retry that sends nothing). A longer window
 * than that answers 429 after it, which waits again.
 */
const MAX_WINDOW_WAIT_MS = 60_000;

export function classifyRocketchat(res: HttpResponse, now: number): ChatVerdict {
  const body = res.status >= 300 ? jsonObject<{ error?: unknown }>(res.text) : undefined;
  const error = typeof body?.error === 'string' ? body.error : '';
  const said = `Rocket.Chat answered ${res.status}${error ? ` ${error}` : ''}`;
  if (error === 'invalid-channel') {
    return { scope: 'rest', outcome: fail(`${said}: the channel of the integration does not exist; set a working rocketchat.webhookurl (alerts kept in the dead-letter store)`) };
  }
  if (res.status === 429) {
    const afterMs = windowWait(res, now);
    return { scope: 'rest', outcome: retry(`${said}: over Rocket.Chat's rate limit`, afterMs === undefined ? undefined : { afterMs }) };
  }
  if (res.status === 503 && error === 'Service Unavailable') {
    return { scope: 'rest', outcome: retry(`${said}: the integration is disabled in Rocket.Chat (Administration > Integrations)`) };
  }
  if (res.status === 400) return { scope: 'message', outcome: fail(`${said}: Rocket.Chat refused this message`) };
  return classifyWebhookAnswer(res, now, 'Rocket.Chat', 'rocketchat', error || undefined);
}

/** The time until Rocket.Chat's rate window resets, when this answer spent it (or was refused for it). */
export function windowWait(res: HttpResponse, now: number): number | undefined {
  if (res.status !== 429 && header(res, 'x-ratelimit-remaining') !== '0') return undefined;
  const reset = Number(header(res, 'x-ratelimit-reset'));
  const at = serverNow(res, now);
  if (!Number.isFinite(reset) || reset <= at) return res.status === 429 ? 1000 : undefined;
  return Math.min(reset - at, MAX_WINDOW_WAIT_MS);
}

/** Calls left in Rocket.Chat's rate window and when it resets, as this answer says. */
export function rateWindow(res: HttpResponse, now: number): { remaining: number; resetInMs: number } | undefined {
  const remaining = Number(header(res, 'x-ratelimit-remaining'));
  const reset = Number(header(res, 'x-ratelimit-reset'));
  const at = serverNow(res, now);
  if (!Number.isInteger(remaining) || remaining < 0 || !Number.isFinite(reset) || reset <= at) return undefined;
  return { remaining, resetInMs: Math.min(reset - at, MAX_WINDOW_WAIT_MS) };
}

/**
 * The server's time of this answer: its Date header (to the second, so a wait read against it is at
 * most a second too long, never too short), else ours. X-RateLimit-Reset is on the server's clock, and the two hosts'
 * clocks may be minutes apart.
 */
function serverNow(res: HttpResponse, now: number): number {
  const date = Date.parse(header(res, 'date') ?? '');
  return Number.isNaN(date) ? now : date;
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
