// Every row of Webex's answers → outcomes.
import { describe, expect, it } from 'vitest';
import { classifyWebex } from './classify.ts';

const res = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });
const webex = (message: string) => JSON.stringify({ message, errors: [{ description: message }], trackingId: 'ROUTER_1' });
const GONE = 'add the Incoming Webhooks app to the space again and set webex.webhookurl (alerts kept in the dead-letter store)';

describe('classifyWebex', () => {
  it('204 and 200 are delivered', () => {
    expect(classifyWebex(res(204, ''))).toEqual({ kind: 'ok' });
    expect(classifyWebex(res(200, '{}'))).toEqual({ kind: 'ok' });
  });

  it.each([404, 410])('%i: the webhook is gone, the whole batch dead-lettered', (status) => {
    expect(classifyWebex(res(status, webex('The requested resource could not be found.')))).toEqual({
      kind: 'fail',
      reason: `Webex answered ${status} The requested resource could not be found. (trackingId ROUTER_1): the webhook was deleted or its URL is wrong; ${GONE}`,
      whole: true,
    });
  });

  it('400: this message is refused', () => {
    expect(classifyWebex(res(400, webex('Message length must not exceed 7439 bytes.')))).toEqual({
      kind: 'fail',
      reason: 'Webex answered 400 Message length must not exceed 7439 bytes. (trackingId ROUTER_1): Webex refused this message',
    });
  });

  it('401 and 403: retried as refused access', () => {
    expect(classifyWebex(res(403, webex('Forbidden')))).toEqual({ kind: 'retry', reason: 'Webex answered 403 Forbidden (trackingId ROUTER_1): Webex refused the webhook; check webex.webhookurl', auth: true });
    expect(classifyWebex(res(401, 'Unauthorized'))).toMatchObject({ kind: 'retry', auth: true });
  });

  it('429, 423 and 503 wait Retry-After; other 5xx retried', () => {
    expect(classifyWebex(res(429, webex('Too many requests have been made. Please slow down.'), { 'retry-after': '4' }))).toEqual({
      kind: 'retry',
      reason: 'Webex answered 429 Too many requests have been made. Please slow down. (trackingId ROUTER_1)',
      afterMs: 4000,
    });
    expect(classifyWebex(res(423, webex('Locked'), { 'retry-after': '2' }))).toEqual({ kind: 'retry', reason: 'Webex answered 423 Locked (trackingId ROUTER_1)', afterMs: 2000 });
    expect(classifyWebex(res(503, webex('Service Unavailable'), { 'retry-after': '9' }))).toMatchObject({ kind: 'retry', afterMs: 9000 });
    expect(classifyWebex(res(502, '<html>Bad Gateway</html>'))).toEqual({ kind: 'retry', reason: 'Webex answered 502 <html>Bad Gateway</html>' });
  });

  it('another 4xx refuses the message', () => {
    expect(classifyWebex(res(415, webex('Unsupported Media Type')))).toMatchObject({ kind: 'fail' });
  });
});
