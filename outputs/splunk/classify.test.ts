// HEC reply codes → outcomes, one row per documented answer.
import { describe, expect, it } from 'vitest';
import type { HttpResponse, Outcome, SendResult } from '../../src/plugin/index.ts';
import { classifyHecFailure } from './classify.ts';

const res = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  text: typeof body === 'string' ? body : JSON.stringify(body),
});

const itemsOf = (result: SendResult): readonly Outcome[] => (result.kind === 'partial' ? result.items : []);

describe('classifyHecFailure', () => {
  it.each([
    [401, { text: 'Token is required', code: 2 }],
    [401, { text: 'Invalid authorization', code: 3 }],
    [403, { text: 'Invalid token', code: 4 }],
    [403, { text: 'Token disabled', code: 1 }],
    [401, 'scheme or token does not match'],
  ])('HTTP %i %j: credentials refused → retry with auth (alerts wait, output failing)', (status, body) => {
    expect(classifyHecFailure(res(status, body), 3)).toMatchObject({ kind: 'retry', auth: true, reason: expect.stringContaining('check splunk.token') });
  });

  it('code 9 server busy (503) and 429 retry, honouring Retry-After', () => {
    expect(classifyHecFailure(res(503, { text: 'Server is busy', code: 9 }, { 'retry-after': '2' }), 3)).toEqual({ kind: 'retry', reason: 'HEC code 9 (HTTP 503): Server is busy', afterMs: 2000 });
    expect(classifyHecFailure(res(429, 'slow down', { 'retry-after': '0.5' }), 3)).toMatchObject({ kind: 'retry', afterMs: 500 });
    expect(classifyHecFailure(res(500, { text: 'Internal server error', code: 8 }), 3)).toMatchObject({ kind: 'retry' });
    expect(classifyHecFailure(res(502, '<html>bad gateway</html>'), 3)).toMatchObject({ kind: 'retry', reason: 'HTTP 502: <html>bad gateway</html>' });
  });

  it('code 6 with invalid-event-number: before → ok, that one → dead-letter, after → re-sent at once', () => {
    const result = classifyHecFailure(res(400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 2 }), 5);
    expect(result.kind).toBe('partial');
    const items = itemsOf(result);
    expect(items.map((i) => i.kind)).toEqual(['ok', 'ok', 'fail', 'retry', 'retry']);
    expect(items[2]).toEqual({ kind: 'fail', reason: 'HEC code 6 (HTTP 400): Invalid data format (event 2 of the batch)' });
    expect(items[3]).toMatchObject({ kind: 'retry', afterMs: 0 });
  });

  it('codes 12, 13 and 15 locate the bad event the same way', () => {
    for (const code of [12, 13, 15]) {
      const result = classifyHecFailure(res(400, { code, 'invalid-event-number': 0 }), 2);
      expect(itemsOf(result).map((i) => i.kind)).toEqual(['fail', 'retry']);
    }
  });

  it('code 7 incorrect index: the index is shared by the batch, so the rest fails too', () => {
    const result = classifyHecFailure(res(400, { text: 'Incorrect index', code: 7, 'invalid-event-number': 1 }), 3);
    expect(itemsOf(result).map((i) => i.kind)).toEqual(['ok', 'fail', 'fail']);
  });

  it('an invalid data answer without (or with an out-of-range) event number fails the batch', () => {
    expect(classifyHecFailure(res(400, { text: 'Invalid data format', code: 6 }), 3)).toEqual({ kind: 'fail', reason: 'HEC code 6 (HTTP 400): Invalid data format' });
    expect(classifyHecFailure(res(400, { code: 6, 'invalid-event-number': 9 }), 3)).toMatchObject({ kind: 'fail' });
  });

  it('codes 10/11 (data channel) mean the token wants indexer acknowledgement: failing until configured', () => {
    expect(classifyHecFailure(res(400, { text: 'Data channel is missing', code: 10 }), 1)).toMatchObject({ kind: 'retry', auth: true, reason: expect.stringContaining('useack: true') });
  });

  it('413 names the batch limit to lower; other 4xx are permanent', () => {
    expect(classifyHecFailure(res(413, { text: 'Content too large', code: 27 }), 3)).toMatchObject({ kind: 'fail', reason: expect.stringContaining('batch.maxbytes') });
    // A wrong path is the endpoint's: not halved by the core (src/dispatch/retry-policy.ts).
    expect(classifyHecFailure(res(404, 'not found'), 3)).toEqual({ kind: 'fail', reason: 'HTTP 404: not found', whole: true });
  });
});
