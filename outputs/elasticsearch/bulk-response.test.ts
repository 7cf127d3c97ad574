import { describe, expect, it } from 'vitest';
import { classifyBulk } from './bulk-response.ts';

const item = (status: number, error?: Record<string, unknown>) => ({ create: { status, ...(error ? { error } : {}) } });
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body });

describe('bulk response classifier', () => {
  it('is one ok when errors is false', () => {
    expect(classifyBulk(answer(200, { errors: false, items: [item(201), item(201)] }), 2)).toEqual({ kind: 'ok' });
  });

  it('gives each item its own outcome: 201 ok, 409 duplicate, 429/5xx retry, 401/403 auth, other 4xx fail with the reason', () => {
    const res = answer(200, {
      errors: true,
      items: [
        item(201),
        item(409, { type: 'version_conflict_engine_exception', reason: '[alert-2]: version conflict, document already exists' }),
        item(429, { type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation' }),
        item(400, { type: 'document_parsing_exception', reason: '[1:200] failed to parse field [output_fields.x] of type [long]', caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "abc"' } }),
        item(503, { type: 'unavailable_shards_exception', reason: 'primary shard is not active' }),
        item(403, { type: 'security_exception', reason: 'action [indices:data/write/bulk[s]] is unauthorized' }),
        { index: { status: 200 } },
      ],
    });
    const result = classifyBulk(res, 7);
    expect(result.kind).toBe('partial');
    const items = result.kind === 'partial' ? result.items : [];
    expect(items.map((o) => o.kind)).toEqual(['ok', 'ok', 'retry', 'fail', 'retry', 'retry', 'ok']);
    expect(items[1]).toEqual({ kind: 'ok', duplicate: true });
    expect(items[3]).toEqual({
      kind: 'fail',
      reason: 'HTTP 400 document_parsing_exception: [1:200] failed to parse field [output_fields.x] of type [long] (caused by illegal_argument_exception: For input string: "abc")',
    });
    expect(items[2]).toMatchObject({ reason: expect.stringContaining('es_rejected_execution_exception') });
    expect(items[5]).toMatchObject({ kind: 'retry', auth: true });
  });

  it('gives the items the cluster sheds for load one outcome, not their own; an index blocked by the disk watermark stays each item\'s', () => {
    const shed = (reason: string) => item(429, { type: 'es_rejected_execution_exception', reason });
    const blocked = item(429, { type: 'cluster_block_exception', reason: 'index [x] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block]' });
    const breaker = item(429, { type: 'circuit_breaking_exception', reason: '[parent] Data too large' });
    const result = classifyBulk(answer(200, { errors: true, items: [item(201), shed('queue full'), blocked, shed('queue full'), breaker, blocked] }), 6);
    const items = result.kind === 'partial' ? result.items : [];
    expect(items[1]).toEqual({ kind: 'retry', reason: 'HTTP 429 es_rejected_execution_exception: queue full (the cluster is shedding load)', notOwn: true });
    expect(items[3]).toBe(items[1]);
    expect(items[4]).toBe(items[1]);
    expect(items[2]).toMatchObject({ kind: 'retry', reason: expect.stringContaining('cluster_block_exception') });
    expect(items[2]).not.toHaveProperty('notOwn');
    expect(items[5]).not.toBe(items[2]);
  });

  it('retries the whole batch on 429/5xx (with Retry-After), waits on 401/403, dead-letters other 4xx', () => {
    expect(classifyBulk(answer(429, { error: { type: 'circuit_breaking_exception', reason: 'too many' } }, { 'retry-after': '3' }), 1)).toEqual({
      kind: 'retry',
      reason: '_bulk: HTTP 429 circuit_breaking_exception: too many',
      afterMs: 3000,
    });
    expect(classifyBulk(answer(503, 'Service Unavailable'), 1)).toMatchObject({ kind: 'retry', reason: '_bulk: HTTP 503 Service Unavailable' });
    const denied = classifyBulk(answer(401, { error: { type: 'security_exception', reason: 'unable to authenticate user [elastic]' } }), 1);
    expect(denied).toMatchObject({ kind: 'retry', auth: true, reason: expect.stringContaining('check elasticsearch.username/password or elasticsearch.apikey') });
    expect(classifyBulk(answer(413, ''), 1)).toMatchObject({ kind: 'fail', reason: expect.stringContaining('batch.maxbytes') });
    expect(classifyBulk(answer(400, { error: { type: 'illegal_argument_exception', reason: 'bad pipeline' } }), 1)).toMatchObject({ kind: 'fail' });
    // A wrong path is the endpoint's: the core does not halve the batch to find an alert at fault.
    expect(classifyBulk(answer(404, 'no handler found'), 5)).toMatchObject({ kind: 'fail', whole: true });
    expect(classifyBulk(answer(400, 'bad'), 5)).not.toHaveProperty('whole');
  });

  it('retries when the answer does not match what was sent', () => {
    expect(classifyBulk(answer(200, { errors: false, items: [item(201)] }), 2)).toMatchObject({ kind: 'retry' });
    expect(classifyBulk(answer(200, '<html>proxy</html>'), 1)).toMatchObject({ kind: 'retry' });
  });
});
