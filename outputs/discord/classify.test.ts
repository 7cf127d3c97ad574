// Every row of Discord's answers → outcomes.
import { describe, expect, it } from 'vitest';
import { classifyDiscord } from './classify.ts';

const res = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });
const GONE = 'create a new webhook and set discord.webhookurl (alerts kept in the dead-letter store)';

describe('classifyDiscord', () => {
  it.each([
    [204, ''],
    [200, '{"id":"1200000000000000001","type":0}'],
  ])('%i is delivered', (status, text) => {
    expect(classifyDiscord(res(status, text))).toEqual({ kind: 'ok' });
  });

  it('404 Unknown Webhook and 401 Invalid Webhook Token: the webhook is gone, the whole batch dead-lettered', () => {
    expect(classifyDiscord(res(404, '{"message": "Unknown Webhook", "code": 10015}'))).toEqual({
      kind: 'fail',
      reason: `Discord answered 404 Unknown Webhook (10015): the webhook was deleted; ${GONE}`,
      whole: true,
    });
    expect(classifyDiscord(res(401, '{"message": "Invalid Webhook Token", "code": 50027}'))).toEqual({
      kind: 'fail',
      reason: `Discord answered 401 Invalid Webhook Token (50027): the webhook token is wrong (regenerated or mistyped); ${GONE}`,
      whole: true,
    });
    expect(classifyDiscord(res(404, '<html>not found</html>'))).toMatchObject({ kind: 'fail', whole: true });
  });

  it('400 with Discord\'s error body: this message is refused, naming the first field Discord names', () => {
    const body = { code: 50035, errors: { embeds: { '0': { fields: { '6': { value: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 1024 or fewer in length.' }] } } } } } }, message: 'Invalid Form Body' };
    expect(classifyDiscord(res(400, JSON.stringify(body)))).toEqual({
      kind: 'fail',
      reason: 'Discord answered 400 Invalid Form Body (50035) at embeds.0.fields.6.value: Must be 1024 or fewer in length.: Discord refused this message',
    });
    expect(classifyDiscord(res(400, '{"message": "Cannot send an empty message", "code": 50006}'))).toEqual({
      kind: 'fail',
      reason: 'Discord answered 400 Cannot send an empty message (50006): Discord refused this message',
    });
  });

  it('429: retried after retry_after (seconds, a float) from the body, else Retry-After', () => {
    expect(classifyDiscord(res(429, '{"message": "You are being rate limited.", "retry_after": 0.347, "global": false}', { 'retry-after': '1' }))).toEqual({
      kind: 'retry',
      reason: 'Discord answered 429 You are being rate limited.',
      afterMs: 347,
    });
    expect(classifyDiscord(res(429, '<html>cloudflare</html>', { 'retry-after': '30' }))).toMatchObject({ kind: 'retry', afterMs: 30_000 });
  });

  it('5xx is retried; 403 is retried as refused access (the output shows failing)', () => {
    expect(classifyDiscord(res(503, 'upstream connect error'))).toEqual({ kind: 'retry', reason: 'Discord answered 503 upstream connect error' });
    expect(classifyDiscord(res(500, '{"message": "500: Internal Server Error", "code": 0}'))).toEqual({ kind: 'retry', reason: 'Discord answered 500 500: Internal Server Error (0)' });
    expect(classifyDiscord(res(403, '{"message": "Missing Access", "code": 50001}'))).toEqual({
      kind: 'retry',
      reason: 'Discord answered 403 Missing Access (50001): Discord refused the webhook access; check discord.webhookurl',
      auth: true,
    });
  });

  it('another 4xx refuses the message', () => {
    expect(classifyDiscord(res(413, 'Request entity too large'))).toEqual({ kind: 'fail', reason: 'HTTP 413: Request entity too large' });
  });
});
