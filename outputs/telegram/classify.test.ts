// Every row of the Bot API's answers to sendMessage → outcomes.
import { describe, expect, it } from 'vitest';
import { classifyTelegram } from './classify.ts';

const res = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, text: typeof body === 'string' ? body : JSON.stringify(body), headers });
const tg = (status: number, description: string, parameters?: Record<string, unknown>) => res(status, { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) });
const KEPT = 'alerts kept in the dead-letter store';

describe('classifyTelegram', () => {
  it('200 {"ok":true} is delivered', () => {
    expect(classifyTelegram(res(200, { ok: true, result: { message_id: 1 } }))).toEqual({ kind: 'ok' });
  });

  it('429 waits parameters.retry_after (seconds), else Retry-After', () => {
    expect(classifyTelegram(tg(429, 'Too Many Requests: retry after 35', { retry_after: 35 }))).toEqual({ kind: 'retry', reason: 'Telegram answered 429 Too Many Requests: retry after 35', afterMs: 35_000 });
    expect(classifyTelegram(res(429, 'Too Many Requests', { 'retry-after': '7' }))).toMatchObject({ kind: 'retry', afterMs: 7000 });
  });

  it('400 with migrate_to_chat_id: the whole batch dead-lettered with the new chat id', () => {
    expect(classifyTelegram(tg(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1009876543210 }))).toEqual({
      kind: 'fail',
      reason: `Telegram answered 400 Bad Request: group chat was upgraded to a supergroup chat: the group was upgraded to a supergroup; set telegram.chatid to -1009876543210 (${KEPT})`,
      whole: true,
    });
  });

  it.each(['Bad Request: chat not found', 'Bad Request: message thread not found', 'Bad Request: TOPIC_CLOSED'])('400 %s: the configured chat is wrong, the whole batch dead-lettered', (description) => {
    expect(classifyTelegram(tg(400, description))).toEqual({
      kind: 'fail',
      reason: `Telegram answered 400 ${description}: check telegram.chatid and telegram.messagethreadid, and that the bot is in the chat (${KEPT})`,
      whole: true,
    });
  });

  it.each(['Bad Request: message is too long', "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'", 'Bad Request: message text is empty'])(
    '400 %s: this message is refused',
    (description) => {
      expect(classifyTelegram(tg(400, description))).toEqual({ kind: 'fail', reason: `Telegram answered 400 ${description}: Telegram refused this message` });
    },
  );

  it('401 Unauthorized and 404 Not Found: the token is wrong or revoked, held as refused credentials', () => {
    expect(classifyTelegram(tg(401, 'Unauthorized'))).toEqual({ kind: 'retry', reason: 'Telegram answered 401 Unauthorized: the bot token is wrong or revoked; check telegram.token', auth: true });
    expect(classifyTelegram(tg(404, 'Not Found'))).toEqual({ kind: 'retry', reason: 'Telegram answered 404 Not Found: the bot token is wrong or revoked; check telegram.token', auth: true });
  });

  it.each(['Forbidden: bot was blocked by the user', 'Forbidden: bot was kicked from the supergroup chat', 'Forbidden: bot is not a member of the channel chat'])(
    '403 %s: held as refused credentials until someone lets the bot in again',
    (description) => {
      expect(classifyTelegram(tg(403, description))).toEqual({ kind: 'retry', reason: `Telegram answered 403 ${description}: the bot may not post in this chat; unblock it or add it back (alerts wait)`, auth: true });
    },
  );

  it('400 "not enough rights" (a restricted group): held as refused credentials, never halved', () => {
    const description = 'Bad Request: not enough rights to send text messages to the chat';
    expect(classifyTelegram(tg(400, description))).toEqual({
      kind: 'retry',
      reason: `Telegram answered 400 ${description}: the bot may not post in this chat; give it the right to send messages (alerts wait)`,
      auth: true,
    });
  });

  it('5xx is retried, with the answer\'s text; another 4xx refuses the message', () => {
    expect(classifyTelegram(tg(502, 'Bad Gateway'))).toEqual({ kind: 'retry', reason: 'Telegram answered 502 Bad Gateway' });
    expect(classifyTelegram(res(500, '<html>oops</html>'))).toEqual({ kind: 'retry', reason: 'Telegram answered 500 <html>oops</html>' });
    expect(classifyTelegram(tg(413, 'Request Entity Too Large'))).toEqual({ kind: 'fail', reason: 'HTTP 413: {"ok":false,"error_code":413,"description":"Request Entity Too Large"}' });
  });
});
