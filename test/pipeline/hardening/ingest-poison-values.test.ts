// A value that shadows toString/valueOf (output_fields {"k8s.ns.name": {"toString": 1}}) used to
// fail after the alert was spooled: a 500 for an alert that was kept and delivered anyway (twice
// after a restart), and in a batch the items after it were spooled but answered as failed.
// Now it is refused before anything is queued, per item, and the rest of the batch is accepted once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

const alert = (uuid: string, fields: Record<string, unknown> = {}) => ({
  uuid,
  rule: 'r',
  priority: 'Notice',
  time: '2026-11-20T10:21:36Z',
  output_fields: { 'proc.name': 'sh', ...fields },
});

describe('poison values', () => {
  it('are refused before the spool, per item; the rest of the batch is delivered exactly once, also after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-poison-'));
    const receiver = await new Receiver().start();
    cleanup.push(() => receiver.stop());
    const yaml = `spool:\n  enabled: true\n  dir: ${dir}\nwebhook:\n  address: ${receiver.url()}\n`;
    const app: RunningApp = await startApp(yaml);

    const single = await app.post(alert('bad-0', { 'k8s.ns.name': { toString: 1 } }));
    expect(single.status).toBe(400);
    expect(JSON.parse(single.body)).toEqual({
      error: { code: 'ERR_ALERT_INVALID', message: 'the key "toString" is not allowed in alert data (it shadows a method every output uses to print values)', path: 'output_fields.k8s.ns.name.toString' },
    });
    expect(app.spool?.backlog()).toEqual({});

    const batch = await app.post([alert('good-1'), alert('bad-2', { x: [{ valueOf: 'x' }] }), alert('good-3')]);
    expect(batch.status).toBe(207);
    expect(JSON.parse(batch.body)).toMatchObject({ accepted: 2, rejected: [{ index: 1, code: 'ERR_ALERT_INVALID', path: 'output_fields.x.0.valueOf' }] });
    await waitFor(() => receiver.received.length === 2);
    await app.stop();

    const again: RunningApp = await startApp(yaml);
    cleanup.push(() => again.stop());
    expect((await again.post(alert('after-restart'))).status).toBe(200);
    await waitFor(() => receiver.received.some((r) => r.body.includes('after-restart')));
    expect(receiver.received.map((r) => (JSON.parse(r.body) as { uuid: string }).uuid)).toEqual(['good-1', 'good-3', 'after-restart']);
  });
});
