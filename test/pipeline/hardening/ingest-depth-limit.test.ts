// Deeply nested alert data used to half-apply a batch with a 500 (5,000 levels) or be called
// "malformed JSON" (deeper, with a 16-digit integer: a stack overflow restoring big integers).
// Now it gets a clear 400 naming the limit, whatever the depth, and nothing of it is queued.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_DEPTH } from '../../../src/ingest/shape.ts';
import { startApp, type RunningApp } from '../../support/app.ts';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
});

const nested = (levels: number, leaf: string) => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`;
const alertWith = (fieldJson: string, uuid = 'deep') => `{"uuid":"${uuid}","rule":"r","priority":"Notice","time":"2026-11-20T10:21:36Z","output_fields":{"x":${fieldJson}}}`;

describe('nesting depth', () => {
  it('is limited with a clear 400, also past the stack depth and with a big integer inside', async () => {
    app = await startApp('stdout:\n  enabled: false\n');
    for (const levels of [5_000, 200_000]) {
      const res = await app.post(alertWith(nested(levels, '1234567890123456789')));
      expect(res.status, `${levels} levels`).toBe(400);
      const body = JSON.parse(res.body) as { error: { code: string; message: string; path: string } };
      expect(body.error.code).toBe('ERR_ALERT_INVALID');
      expect(body.error.message).toMatch(new RegExp(`^nested deeper than ${MAX_DEPTH} levels at "output_fields\\.x(\\.a)+": Falco alerts are flat maps of fields$`));
    }
    // In a batch: the deep item is refused alone, the others are accepted.
    const batch = await app.post(`[${alertWith('"ok"', 'a')},${alertWith(nested(5_000, '1'), 'b')},${alertWith('"ok"', 'c')}]`);
    expect(batch.status).toBe(207);
    expect(JSON.parse(batch.body)).toMatchObject({ accepted: 2, rejected: [{ index: 1, code: 'ERR_ALERT_INVALID' }] });
    // Within the limit is fine.
    expect((await app.post(alertWith(nested(MAX_DEPTH - 2, '1')))).status).toBe(200);
  });
});
