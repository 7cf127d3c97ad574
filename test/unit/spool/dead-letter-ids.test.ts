// A dead letter's id is never given again: after the newest are purged or replayed, a new one gets an
// id above them, so an id read in an older listing (`peregrine dlq purge --id N`) cannot name
// another alert. SQLite alone reuses the highest rowid once it is deleted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { serializeAlert } from '../../../src/alert/serialize.ts';
import { Spool } from '../../../src/spool/spool.ts';
import { alert } from '../../support/worker-harness.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('dead-letter ids', () => {
  it('are not reused after the newest are purged, across a reopen too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-dl-ids-'));
    dirs.push(dir);
    const open = () => Spool.open({ dir, maxbytes: 1 << 24, fsync: 'normal' }, pino({ level: 'silent' }), { writer: 'inline' });
    const add = (s: Spool) => {
      const a = alert();
      return s.deadLetter('webhook', undefined, a, serializeAlert(a), 'rejected', 'HTTP 400', 1, Date.now());
    };
    let s = open();
    expect([add(s), add(s), add(s)]).toEqual([1, 2, 3]);
    expect(s.purgeDeadLetters({ id: 3 })).toBe(1);
    expect(s.purgeDeadLetters({ id: 2 })).toBe(1);
    expect(add(s)).toBe(4);
    s.purgeDeadLetters({});
    s.close();
    s = open();
    expect(add(s)).toBe(5);
    s.close();
  });
});
