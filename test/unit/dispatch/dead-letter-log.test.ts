// The dead-letter log line: one per output per 10 s at most, and the dead letters that come inside
// those 10 s get their line when they end (they were left to the next dead letter, maybe never).
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Accounting } from '../../../src/dispatch/accounting.ts';
import { MemoryDeadLetterStore } from '../../../src/dispatch/dead-letter.ts';
import { QueueEntry } from '../../../src/dispatch/queue-entry.ts';
import { Metrics } from '../../../src/telemetry/metrics.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { alert } from '../../support/worker-harness.ts';

function setup() {
  const clock = new FakeClock();
  const lines: { level: number; msg: string; deadLettered?: number; uuid?: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
  const accounting = new Accounting('webhook', { metrics: new Metrics({ defaultMetrics: false }), deadLetters: new MemoryDeadLetterStore(1000), clock, log });
  let seq = 0;
  const deadLetter = () => {
    const a = alert();
    accounting.deadLetter(new QueueEntry(a, { bytes: 100, seq: seq++, receivedAt: clock.now() }), 'rejected', 'HTTP 400: bad');
    return a.uuid;
  };
  return { clock, lines, accounting, deadLetter };
}

describe('the dead-letter log line', () => {
  it('names the first dead letter at once and the rest of a burst when its 10 s end', async () => {
    const { clock, lines, deadLetter } = setup();
    deadLetter();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, deadLettered: 1, msg: 'alert dead-lettered (peregrine dlq list)' });
    await clock.advance(1_000);
    let latest = '';
    for (let i = 0; i < 29; i++) latest = deadLetter();
    expect(lines).toHaveLength(1);
    await clock.advance(8_999);
    expect(lines).toHaveLength(1);
    await clock.advance(1);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 40, deadLettered: 29, uuid: latest });
    expect(clock.pending()).toBe(0);
  });

  it('keeps to one line per 10 s when dead letters keep coming', async () => {
    const { clock, lines, deadLetter } = setup();
    for (let s = 0; s < 60; s++) {
      deadLetter();
      await clock.advance(1_000);
    }
    // at 0 s the first; at 10 s those of 1–9 s; then every 10 s the ten before it: all 60 named
    expect(lines.map((l) => l.deadLettered)).toEqual([1, 9, 10, 10, 10, 10, 10]);
  });

  it('writes what is pending when the output closes', async () => {
    const { clock, lines, accounting, deadLetter } = setup();
    deadLetter();
    deadLetter();
    deadLetter();
    accounting.logDeadLetters();
    expect(lines.map((l) => l.deadLettered)).toEqual([1, 2]);
    expect(clock.pending()).toBe(0);
    accounting.logDeadLetters();
    expect(lines).toHaveLength(2);
  });
});
