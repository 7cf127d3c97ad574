// Slack answers that the fault tests do not reach through the app.
import { describe, expect, it } from 'vitest';
import { classifySlack } from './classify.ts';

const res = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });

describe('classifySlack', () => {
  it('200 ok is delivered, the batch goes on', () => {
    expect(classifySlack(res(200, 'ok'))).toEqual({ scope: 'message', outcome: { kind: 'ok' } });
  });

  it('429 stops the batch with Retry-After; 500 stops it with backoff', () => {
    expect(classifySlack(res(429, 'rate_limited', { 'retry-after': '3' }))).toEqual({ scope: 'rest', outcome: { kind: 'retry', reason: 'HTTP 429: rate_limited', afterMs: 3000 } });
    expect(classifySlack(res(500, 'rollup_error'))).toEqual({ scope: 'rest', outcome: { kind: 'retry', reason: 'HTTP 500: rollup_error' } });
  });

  it('a 401/403 Slack does not document is retried as refused access, never dead-lettered', () => {
    expect(classifySlack(res(403, 'forbidden'))).toEqual({ scope: 'rest', outcome: { kind: 'retry', reason: 'Slack answered 403 forbidden: access refused; check slack.webhookurl', auth: true } });
  });

  it('an unknown 404 or 410 means the webhook is gone; another unknown 4xx refuses this message only', () => {
    expect(classifySlack(res(404, '<html>Not Found</html>'))).toMatchObject({ scope: 'rest', outcome: { kind: 'fail' } });
    expect(classifySlack(res(410, ''))).toMatchObject({ scope: 'rest', outcome: { kind: 'fail', reason: 'Slack answered 410: the webhook is gone; set a working slack.webhookurl' } });
    expect(classifySlack(res(413, 'too large'))).toEqual({ scope: 'message', outcome: { kind: 'fail', reason: 'HTTP 413: too large' } });
  });
});
