// Teams answers that the fault tests do not reach through the app.
import { describe, expect, it } from 'vitest';
import { classifyTeams } from './classify.ts';

const res = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });

describe('classifyTeams', () => {
  it('401/403: refused credentials, retried and marked as auth (the output shows failing)', () => {
    expect(classifyTeams(res(401, '{"error":{"code":"DirectApiAuthorizationRequired","message":"The request must be authenticated."}}'))).toEqual({
      kind: 'retry',
      reason:
        'Teams answered 401: DirectApiAuthorizationRequired: The request must be authenticated. (the flow refused the request: it must let "Anyone" trigger it, and the URL\'s signature must be current)',
      auth: true,
    });
  });

  it('a connector\'s 200 reporting an inner non-retryable error is dead-lettered; an inner 5xx is retried', () => {
    expect(classifyTeams(res(200, 'Microsoft Teams endpoint returned HTTP error 400 with ContextId x'))).toMatchObject({ kind: 'fail' });
    expect(classifyTeams(res(200, 'Microsoft Teams endpoint returned HTTP error 502 with ContextId x'))).toMatchObject({ kind: 'retry' });
    expect(classifyTeams(res(200, '1'))).toEqual({ kind: 'ok' });
  });

  it('429 keeps Retry-After; an unknown 4xx is dead-lettered', () => {
    expect(classifyTeams(res(429, '', { 'retry-after': '7' }))).toEqual({ kind: 'retry', reason: 'Teams answered 429', afterMs: 7000 });
    expect(classifyTeams(res(422, 'nope'))).toMatchObject({ kind: 'fail', reason: 'HTTP 422: nope' });
  });
});
