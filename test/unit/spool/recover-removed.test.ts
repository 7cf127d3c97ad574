// At start, a spooled delivery of an output no longer configured whose JSON no longer parses is
// stored as a dead letter with reason "unreadable", and counted under that reason, not as
// output_removed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { serializeAlert } from '../../../src/alert/serialize.ts';
import { SpoolDeadLetterStore } from '../../../src/spool/dead-letters.ts';
import { recoverSpool } from '../../../src/spool/recover.ts';
import { Spool, SPOOL_FILE } from '../../../src/spool/spool.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { alert } from '../../support/worker-harness.ts';

describe('recovery of a removed output\'s unreadable row', () => {
  it('counts it under the reason it is stored with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-recover-removed-'));
    const log = pino({ level: 'silent' });
    const first = Spool.open({ dir, maxbytes: 1 << 24, fsync: 'normal' }, log, { writer: 'inline' });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const a = alert();
      const json = serializeAlert(a);
      ids.push(await first.append(a, json, json.length, ['gone'], 1000));
    }
    first.close();
    const db = new DatabaseSync(join(dir, SPOOL_FILE));
    db.prepare('UPDATE alerts SET json = ? WHERE id = ?').run('{not json', ids[1] as number);
    db.close();

    const s = Spool.open({ dir, maxbytes: 1 << 24, fsync: 'normal' }, log, { writer: 'inline' });
    const removed: Record<string, number> = {};
    const unreadable: Record<string, number> = {};
    recoverSpool(
      s,
      [],
      new SpoolDeadLetterStore(s),
      new FakeClock(),
      log,
      (output, n) => (removed[output] = (removed[output] ?? 0) + n),
      (output) => (unreadable[output] = (unreadable[output] ?? 0) + 1),
    );
    const stored = s.deadLetters({}).map((d) => d.reason).sort();
    s.close();
    expect(stored).toEqual(['output_removed', 'output_removed', 'unreadable']);
    // The counters agree with the store (removed 3, unreadable 0 before the fix).
    expect({ removed, unreadable }).toEqual({ removed: { gone: 2 }, unreadable: { gone: 1 } });
  });
});
