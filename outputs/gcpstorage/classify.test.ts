// Every Cloud Storage answer the JSON API documents for an upload, and a network error.
import { describe, expect, it } from 'vitest';
import { classifyStorageError } from './classify.ts';

const apiError = (code: number, message = `status ${code}`) => Object.assign(new Error(message), { code });

describe('classifyStorageError', () => {
  it.each([
    [412, { kind: 'ok', duplicate: true }],
    [401, { kind: 'retry', auth: true, reason: 'Cloud Storage answered 401: status 401 (the credentials were refused: check gcp.credentials or the Application Default Credentials)' }],
    [403, { kind: 'retry', auth: true, reason: 'Cloud Storage answered 403: status 403 (the account may not create objects in bucket falco: grant it roles/storage.objectCreator)' }],
    [404, { kind: 'retry', auth: true, reason: 'Cloud Storage answered 404: status 404 (bucket falco does not exist: create it or fix gcp.storage.bucket)' }],
    [429, { kind: 'retry', afterMs: 1000, reason: 'Cloud Storage answered 429: status 429' }],
    [408, { kind: 'retry', reason: 'Cloud Storage answered 408: status 408' }],
    [500, { kind: 'retry', reason: 'Cloud Storage answered 500: status 500' }],
    [503, { kind: 'retry', reason: 'Cloud Storage answered 503: status 503' }],
    [400, { kind: 'fail', reason: 'Cloud Storage answered 400: status 400' }],
    [501, { kind: 'fail', reason: 'Cloud Storage answered 501: status 501' }],
    [413, { kind: 'fail', reason: 'Cloud Storage answered 413: status 413' }],
  ])('HTTP %i', (status, outcome) => {
    const got = classifyStorageError(apiError(status), 'falco');
    expect(got).toMatchObject(outcome);
    if (outcome.kind === 'retry' && !('auth' in outcome)) expect(got).not.toMatchObject({ auth: true });
  });

  it('a network error (a text code) is retried with its message', () => {
    expect(classifyStorageError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'falco')).toEqual({ kind: 'retry', reason: 'Cloud Storage: connect ECONNREFUSED 127.0.0.1:1' });
  });
});
