// One spool row whose JSON no longer parses used to stop every start (JSON.parse in recovery):
// now it is dead-lettered with its spool id, its text kept, and every other alert is delivered.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

describe('spool recovery', () => {
  it('dead-letters an unparseable row with its id and delivers the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    const receiver = await new Receiver().start();
    const port = receiver.port;
    await receiver.stop();
    cleanup.push(() => receiver.stop());
    const yaml = `spool:\n  enabled: true\n  dir: ${dir}\nwebhook:\n  address: http://127.0.0.1:${port}/\n  timeoutms: 300\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 50\n`;
    const first = await startApp(yaml);
    for (let i = 0; i < 5; i++) expect((await first.post(falcoAlertJson(i))).status).toBe(200);
    await first.close(); // the destination is down: the five alerts stay in the spool

    const db = new DatabaseSync(join(dir, 'peregrine.db'));
    const damaged = db.prepare("SELECT id, uuid FROM alerts WHERE uuid = 'alert-2'").get() as { id: number; uuid: string };
    db.prepare('UPDATE alerts SET json = ? WHERE id = ?').run('{"uuid":"alert-2","rule":"cut', damaged.id);
    db.close();

    await receiver.start(port);
    const second: RunningApp = await startApp(yaml);
    cleanup.push(() => second.stop());
    await waitFor(() => receiver.received.length >= 4, 10_000, 'the four readable alerts');
    expect(receiver.received.map((r) => /"uuid":"([^"]+)"/.exec(r.body)?.[1]).sort()).toEqual(['alert-0', 'alert-1', 'alert-3', 'alert-4']);

    const dlq = (await (await request(`${second.url}/dlq`)).body.json()) as { entries: { output: string; reason: string; detail: string; alert: { uuid: string; unreadable?: string } }[] };
    expect(dlq.entries).toHaveLength(1);
    expect(dlq.entries[0]).toMatchObject({ output: 'webhook', reason: 'unreadable', alert: { uuid: 'alert-2', unreadable: '{"uuid":"alert-2","rule":"cut' } });
    expect(dlq.entries[0]?.detail).toContain(`spool row ${damaged.id} is not readable JSON`);
    expect(await metricValue(second, 'peregrine_dead_lettered_total', { output: 'webhook', reason: 'unreadable' })).toBe(1);
    expect(second.spool?.backlog()).toEqual({});
  });
});
