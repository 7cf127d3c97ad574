// Telegram Bot API answers to sendMessage → what happens to the alerts of that message. Every answer
// is JSON: {"ok": true, "result": <Message>} or {"ok": false, "error_code": <status>, "description":
// "…", "parameters": {"retry_after": <s>, "migrate_to_chat_id": <id>}} (core.telegram.org/bots/api#making-requests):
//   429 "Too Many Requests: retry after N", parameters.retry_after: wait that long
//   400 with parameters.migrate_to_chat_id: the group became a supergroup with a new id: set chatid
//   400 "chat not found", "message thread not found": the configured chat or topic is wrong
//   400 "not enough rights to send text messages to the chat" (a restricted group): held, as 403
//   400 anything else ("message is too long", "can't parse entities"): this message is refused
//   401 Unauthorized, 404 Not Found: the token is revoked or malformed
//   403 "bot was blocked by the user", "bot was kicked from the group chat", "bot is not a member
//     of the channel chat": held, as refused credentials: someone re-adds the bot in Telegram and the
//     waiting alerts go, with no configuration change
//   5xx (502 Bad Gateway in Telegram's outages): try later
import { classifyHttp, excerpt, fail, jsonObject, retry, retryAfterMs, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface TelegramAnswer {
  description?: unknown;
  parameters?: { retry_after?: unknown; migrate_to_chat_id?: unknown };
}

const KEPT = 'alerts kept in the dead-letter store';

export function classifyTelegram(res: HttpResponse, now: number = Date.now()): Outcome {
  if (res.status >= 200 && res.status < 300) return classifyHttp(res, now);
  const body = jsonObject<TelegramAnswer>(res.text);
  const description = excerpt(typeof body?.description === 'string' ? body.description : res.text);
  const detail = `Telegram answered ${res.status}${description ? ` ${description}` : ''}`;
  const parameters = body?.parameters;
  if (res.status === 429) {
    const seconds = typeof parameters?.retry_after === 'number' ? parameters.retry_after : undefined;
    const afterMs = seconds === undefined ? retryAfterMs(res.headers['retry-after'], now) : seconds * 1000;
    return retry(detail, afterMs === undefined ? undefined : { afterMs });
  }
  if (res.status === 400) {
    const migrated = parameters?.migrate_to_chat_id;
    if (typeof migrated === 'number' || typeof migrated === 'string') {
      return fail(`${detail}: the group was upgraded to a supergroup; set telegram.chatid to ${String(migrated)} (${KEPT})`, { whole: true });
    }
    if (/not enough rights|CHAT_WRITE_FORBIDDEN|CHAT_RESTRICTED/i.test(description)) {
      // A restricted group: the bot may not post until an admin gives it the right (as 403 below).
      return retry(`${detail}: the bot may not post in this chat; give it the right to send messages (alerts wait)`, { auth: true });
    }
    if (/chat not found|thread not found|topic/i.test(description)) {
      return fail(`${detail}: check telegram.chatid and telegram.messagethreadid, and that the bot is in the chat (${KEPT})`, { whole: true });
    }
    return fail(`${detail}: Telegram refused this message`);
  }
  if (res.status === 401 || res.status === 404) return retry(`${detail}: the bot token is wrong or revoked; check telegram.token`, { auth: true });
  if (res.status === 403) return retry(`${detail}: the bot may not post in this chat; unblock it or add it back (alerts wait)`, { auth: true });
  const outcome = classifyHttp(res, now);
  return outcome.kind === 'retry' ? { ...outcome, reason: detail } : outcome;
}
