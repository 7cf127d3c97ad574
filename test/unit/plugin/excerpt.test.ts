// excerpt(): what a failed response leaves in a reason, which the trail and the dead-letter store
// keep for as long as they keep the alert.
import { describe, expect, it } from 'vitest';
import { collectStartupGarbage } from '../../../src/heap.ts';
import { excerpt } from '../../../src/plugin/http.ts';

describe('excerpt', () => {
  it('flattens whitespace and cuts at max with an ellipsis', () => {
    expect(excerpt('  error:\n\tbad   request  ')).toBe('error: bad request');
    expect(excerpt('x'.repeat(400), 10)).toBe(`${'x'.repeat(10)}…`);
  });

  it('keeps no part of the response body alive', () => {
    // 100 KiB bodies without whitespace (compact JSON), decoded as sendHttp decodes them: a reason
    // that were a slice of its body would keep all of it.
    const bodies = 50;
    const reasons: string[] = [];
    collectStartupGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < bodies; i++) {
      const body = new TextDecoder().decode(Buffer.from(`{"error":${i},"items":[${'{"status":400},'.repeat(7_000)}{}]}`));
      reasons.push(`HTTP 400: ${excerpt(body)}`);
    }
    collectStartupGarbage();
    const perReason = (process.memoryUsage().heapUsed - before) / bodies;
    expect(reasons[1]).toMatch(/^HTTP 400: \{"error":1,"items":\[\{"status":400\}/);
    expect(perReason).toBeLessThan(10 * 1024);
  });
});
