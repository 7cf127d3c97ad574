// Every row of Zoho Cliq's answers → outcomes.
import { describe, expect, it } from 'vitest';
import { classifyCliq, LOCK_MS } from './classify.ts';

const res = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });
const cliq = (message: string, code?: string) => JSON.stringify({ ...(code ? { code } : {}), message });

describe('classifyCliq', () => {
  it('204 and 200 are delivered', () => {
    expect(classifyCliq(res(204, ''))).toEqual({ kind: 'ok' });
    expect(classifyCliq(res(200, '{}'))).toEqual({ kind: 'ok' });
  });

  it('404: the channel or URL does not exist, the whole batch dead-lettered', () => {
    expect(classifyCliq(res(404, cliq('Invalid URL.')))).toEqual({
      kind: 'fail',
      reason: 'Zoho Cliq answered 404 Invalid URL.: the channel or webhook URL does not exist; check cliq.webhookurl (alerts kept in the dead-letter store)',
      whole: true,
    });
  });

  it('400: this message is refused', () => {
    expect(classifyCliq(res(400, cliq('The request cannot be performed. Usually because of malformed parameter or missing parameter.', 'input_error')))).toEqual({
      kind: 'fail',
      reason: 'Zoho Cliq answered 400 The request cannot be performed. Usually because of malformed parameter or missing parameter. (input_error): Cliq refused this message',
    });
  });

  it('401 and 403: retried as refused access', () => {
    expect(classifyCliq(res(401, cliq('Request was rejected because of invalid AuthToken.')))).toEqual({
      kind: 'retry',
      reason: 'Zoho Cliq answered 401 Request was rejected because of invalid AuthToken.: Cliq refused the webhook token; check the zapikey of cliq.webhookurl',
      auth: true,
    });
    expect(classifyCliq(res(403, cliq('The user does not have enough permission')))).toMatchObject({ kind: 'retry', auth: true });
  });

  it('429: Retry-After when given, else Cliq\'s 10-minute lock', () => {
    expect(classifyCliq(res(429, cliq('Threshold limit exceeded.')))).toEqual({ kind: 'retry', reason: 'Zoho Cliq answered 429 Threshold limit exceeded.', afterMs: LOCK_MS });
    expect(classifyCliq(res(429, '', { 'retry-after': '30' }))).toMatchObject({ kind: 'retry', afterMs: 30_000 });
  });

  it('5xx retried; another 4xx refuses the message', () => {
    expect(classifyCliq(res(503, '<html>down</html>'))).toEqual({ kind: 'retry', reason: 'Zoho Cliq answered 503 <html>down</html>' });
    expect(classifyCliq(res(413, 'too large'))).toMatchObject({ kind: 'fail' });
  });
});
