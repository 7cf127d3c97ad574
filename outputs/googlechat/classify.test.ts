// Every row of Google Chat's answers → outcomes.
import { describe, expect, it } from 'vitest';
import { classifyGooglechat } from './classify.ts';

const res = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });
const google = (code: number, status: string, message: string, details?: unknown[]) => JSON.stringify({ error: { code, message, status, ...(details ? { details } : {}) } });
const GONE = 'create a new webhook and set googlechat.webhookurl (alerts kept in the dead-letter store)';

describe('classifyGooglechat', () => {
  it('200 with the created message is delivered', () => {
    expect(classifyGooglechat(res(200, '{"name":"spaces/AAAA/messages/x.x"}'))).toEqual({ kind: 'ok' });
  });

  it.each([
    [404, 'NOT_FOUND', 'Requested entity was not found.'],
    [403, 'PERMISSION_DENIED', 'The caller does not have permission'],
    [401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'],
  ])('%i %s: the webhook is gone, the whole batch dead-lettered', (code, status, message) => {
    expect(classifyGooglechat(res(code, google(code, status, message)))).toEqual({
      kind: 'fail',
      reason: `Google Chat answered ${code} ${status}: ${message} (the webhook was deleted or its URL is wrong; ${GONE})`,
      whole: true,
    });
  });

  it('400 API_KEY_INVALID is a wrong URL; another 400 refuses this message only', () => {
    const keyInvalid = google(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }]);
    expect(classifyGooglechat(res(400, keyInvalid))).toMatchObject({ kind: 'fail', whole: true });
    expect(classifyGooglechat(res(400, google(400, 'INVALID_ARGUMENT', 'Message cannot be empty.')))).toEqual({
      kind: 'fail',
      reason: 'Google Chat answered 400 INVALID_ARGUMENT: Message cannot be empty. (Google Chat refused this message)',
    });
  });

  it('429 RESOURCE_EXHAUSTED and 5xx are retried (Retry-After when given)', () => {
    expect(classifyGooglechat(res(429, google(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).')))).toEqual({
      kind: 'retry',
      reason: 'Google Chat answered 429 RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota).',
    });
    expect(classifyGooglechat(res(429, google(429, 'RESOURCE_EXHAUSTED', 'quota'), { 'retry-after': '5' }))).toMatchObject({ kind: 'retry', afterMs: 5000 });
    expect(classifyGooglechat(res(503, google(503, 'UNAVAILABLE', 'The service is currently unavailable.')))).toEqual({
      kind: 'retry',
      reason: 'Google Chat answered 503 UNAVAILABLE: The service is currently unavailable.',
    });
    expect(classifyGooglechat(res(502, '<html>Bad Gateway</html>'))).toEqual({ kind: 'retry', reason: 'Google Chat answered 502: <html>Bad Gateway</html>' });
  });
});
