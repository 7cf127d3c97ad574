// Every row of Gotify's answers → outcomes.
import { describe, expect, it } from 'vitest';
import { classifyGotify } from './classify.ts';

const res = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });
const gotify = (status: number, error: string, description: string) => res(status, JSON.stringify({ error, errorCode: status, errorDescription: description }));

describe('classifyGotify', () => {
  it('200 with the created message is delivered', () => {
    expect(classifyGotify(res(200, '{"id":1,"appid":1,"message":"m","title":"t","priority":3,"date":"2026-11-20T10:21:36Z"}'))).toEqual({ kind: 'ok' });
  });

  it('401 (unknown token) and 403 (a client token): held as refused credentials', () => {
    expect(classifyGotify(gotify(401, 'Unauthorized', 'you need to provide a valid access token or user credentials to access this api'))).toEqual({
      kind: 'retry',
      reason: 'Gotify answered 401: you need to provide a valid access token or user credentials to access this api (the application token is unknown: check gotify.token)',
      auth: true,
    });
    expect(classifyGotify(gotify(403, 'Forbidden', 'you are not allowed to access this api'))).toEqual({
      kind: 'retry',
      reason: 'Gotify answered 403: you are not allowed to access this api (gotify.token must be an application\'s token, not a client\'s)',
      auth: true,
    });
  });

  it('404: no Gotify API there, the whole batch dead-lettered', () => {
    expect(classifyGotify(gotify(404, 'Not Found', 'page not found'))).toEqual({
      kind: 'fail',
      reason: 'Gotify answered 404: page not found (no Gotify API at gotify.hostport; check its path) (alerts kept in the dead-letter store)',
      whole: true,
    });
  });

  it('400 and a proxy\'s 413: this message is refused', () => {
    expect(classifyGotify(gotify(400, 'Bad Request', "Field 'message' is required"))).toEqual({ kind: 'fail', reason: "Gotify answered 400: Field 'message' is required (Gotify refused this message)" });
    expect(classifyGotify(res(413, '<html>413 Request Entity Too Large</html>'))).toMatchObject({ kind: 'fail' });
  });

  it('5xx retried (Retry-After when a proxy gives one)', () => {
    expect(classifyGotify(gotify(500, 'Internal Server Error', 'database is locked'))).toEqual({ kind: 'retry', reason: 'Gotify answered 500: database is locked' });
    expect(classifyGotify(res(503, 'down', { 'retry-after': '3' }))).toMatchObject({ kind: 'retry', afterMs: 3000 });
  });
});
