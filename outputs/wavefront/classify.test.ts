// Every documented answer of Wavefront's /report, classified.
import { describe, expect, it } from 'vitest';
import { classifyReport } from './classify.ts';

const res = (status: number, text = '', headers: Record<string, string> = {}) => ({ status, text, headers });
const NOW = Date.parse('2026-11-20T10:00:00Z');

describe('wavefront classification', () => {
  it.each<[number, Record<string, unknown>]>([
    [202, { kind: 'ok' }],
    [200, { kind: 'ok' }],
    [400, { kind: 'fail', reason: 'HTTP 400: line 1: no source' }],
    [401, { kind: 'retry', auth: true, reason: expect.stringContaining('check wavefront.endpointtoken') }],
    [403, { kind: 'retry', auth: true, reason: expect.stringContaining('Direct Data Ingestion permission') }],
    [404, { kind: 'fail', whole: true, reason: expect.stringContaining('check wavefront.endpointhost') }],
    [406, { kind: 'retry', reason: expect.stringContaining('pushback') }],
    [413, { kind: 'fail', reason: expect.stringContaining('lower batch.maxbytes') }],
    [429, { kind: 'retry' }],
    [500, { kind: 'retry' }],
    [503, { kind: 'retry' }],
    [501, { kind: 'fail' }],
  ])('%i → %j', (status, outcome) => {
    const text = status === 400 ? 'line 1: no source' : '';
    expect(classifyReport(res(status, text), NOW)).toMatchObject(outcome);
  });

  it('406 and 429 wait for Retry-After', () => {
    expect(classifyReport(res(406, '', { 'retry-after': '7' }), NOW)).toMatchObject({ kind: 'retry', afterMs: 7000 });
    expect(classifyReport(res(429, '', { 'retry-after': '3' }), NOW)).toMatchObject({ kind: 'retry', afterMs: 3000 });
  });
});
