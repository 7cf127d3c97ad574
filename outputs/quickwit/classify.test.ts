// Quickwit's documented ingest answers → outcomes.
import { describe, expect, it } from 'vitest';
import { classifyIngest } from './classify.ts';

const res = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });

describe('classifyIngest', () => {
  it.each([
    ['200, 0.7/0.8 answer', res(200, '{"num_docs_for_processing":1}'), { kind: 'ok' }],
    ['200, every document ingested', res(200, '{"num_docs_for_processing":1,"num_ingested_docs":1,"num_rejected_docs":0}'), { kind: 'ok' }],
    ['200, the document rejected', res(200, '{"num_docs_for_processing":1,"num_ingested_docs":0,"num_rejected_docs":1}'), { kind: 'fail', reason: 'document rejected by index falco: no reason given (detailed_response is off)' }],
    [
      '200, rejected with a parse failure',
      res(200, '{"num_docs_for_processing":1,"num_ingested_docs":0,"num_rejected_docs":1,"parse_failures":[{"message":"failed to parse timestamp"}]}'),
      { kind: 'fail', reason: 'document rejected by index falco: failed to parse timestamp' },
    ],
    ['404 index not found', res(404, '{"message":"index `falco` not found"}'), { kind: 'retry', auth: true, reason: expect.stringMatching(/not found.*autocreateindex/) }],
    ['404 another route', res(404, '{"message":"route not found"}'), { kind: 'fail', whole: true }],
    ['400 unreadable request', res(400, '{"message":"failed to parse"}'), { kind: 'fail', reason: 'HTTP 400: {"message":"failed to parse"}' }],
    ['429 rate-limited', res(429, '{"message":"too many requests"}', { 'retry-after': '2' }), { kind: 'retry', afterMs: 2000 }],
    ['503 no shard', res(503, '{"message":"no shards available"}'), { kind: 'retry' }],
    ['401 from a proxy', res(401, ''), { kind: 'retry', auth: true }],
  ])('%s', (_name, r, expected) => {
    expect(classifyIngest(r, 0, 'falco')).toMatchObject(expected);
  });
});
