// The Spyderbat API's answers, classified: data POSTs and the source lookup/creation.
import { describe, expect, it } from 'vitest';
import { classifyData, classifySource } from './classify.ts';

const res = (status: number, text = '', headers: Record<string, string> = {}) => ({ status, text, headers });
const NOW = Date.parse('2026-11-20T10:00:00Z');

describe('spyderbat classification', () => {
  it.each<[number, Record<string, unknown>]>([
    [200, { kind: 'ok' }],
    [202, { kind: 'ok' }],
    [400, { kind: 'fail', reason: 'HTTP 400: {"error":"event 1: pid"}' }],
    [401, { kind: 'retry', auth: true, reason: expect.stringContaining('check spyderbat.apikey') }],
    [403, { kind: 'retry', auth: true, reason: expect.stringContaining('no access to the org') }],
    [404, { kind: 'retry', reason: expect.stringContaining('the source is gone') }],
    [429, { kind: 'retry' }],
    [500, { kind: 'retry' }],
    [503, { kind: 'retry' }],
  ])('data POST %i → %j', (status, outcome) => {
    const text = status === 400 ? '{"error":"event 1: pid"}' : '';
    expect(classifyData(res(status, text), NOW)).toMatchObject(outcome);
  });

  it('data POST 429 waits for Retry-After', () => {
    expect(classifyData(res(429, '', { 'retry-after': '4' }), NOW)).toMatchObject({ kind: 'retry', afterMs: 4000 });
  });

  it.each<[number, Record<string, unknown>]>([
    [401, { kind: 'retry', auth: true, reason: expect.stringMatching(/^listing the sources: HTTP 401.*check spyderbat\.apikey/) }],
    [403, { kind: 'retry', auth: true }],
    [404, { kind: 'fail', whole: true, reason: expect.stringContaining('check spyderbat.orguid') }],
    [429, { kind: 'retry', reason: 'listing the sources: HTTP 429' }],
    [502, { kind: 'retry' }],
    [400, { kind: 'fail', whole: true, reason: 'listing the sources: HTTP 400' }],
  ])('source call %i → %j', (status, outcome) => {
    expect(classifySource(res(status), NOW, 'listing the sources')).toMatchObject(outcome);
  });
});
