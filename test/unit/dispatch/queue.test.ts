import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AlertQueue } from '../../../src/dispatch/queue.ts';
import { QueueEntry, SpoolReadError } from '../../../src/dispatch/queue-entry.ts';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { priorityRank, type Priority } from '../../../src/alert/priority.ts';
import { serializeAlert, thawAlert } from '../../../src/alert/serialize.ts';
import { PACK_ALERTS, PackedBlock } from '../../../src/alert/packed.ts';
import { afterPacking, distinctAlert, falcoAlertJson } from '../../support/alerts.ts';

let seq = 0;
function entry(priority: Priority, bytes = 10): QueueEntry {
  const alert = { uuid: `a${seq}`, priority } as Alert;
  return new QueueEntry(alert, { bytes, seq: seq++, receivedAt: seq });
}

/** A real Falco alert, as ingest builds it (19-digit evt.time kept exact). */
function falcoEntry(i: number, priority: Priority = 'Notice'): QueueEntry {
  const alert = freezeAlert(toAlert(parseJson(falcoAlertJson(i, priority)) as AlertInput));
  return new QueueEntry(alert, { bytes: serializeAlert(alert).length, seq: seq++, receivedAt: seq });
}

describe('QueueEntry', () => {
  it('gives back the exact arrival time it was given: now, a fake clock\'s, a spooled alert\'s from weeks ago', () => {
    const now = Date.now();
    const day = 86_400_000;
    for (const receivedAt of [now, now + 1, 0, 1_000, now - 40 * day, now + 40 * day, 8.64e15]) {
      const e = new QueueEntry({ uuid: 'u', priority: 'Notice' } as Alert, { bytes: 1, seq: seq++, receivedAt });
      expect(e.receivedAt).toBe(receivedAt);
    }
  });
});

describe('AlertQueue', () => {
  it('delivers in arrival order across priorities', () => {
    const q = new AlertQueue({ maxalerts: 10, maxbytes: 1000 });
    const items = [entry('Debug'), entry('Critical'), entry('Notice')];
    items.forEach((e) => q.push(e));
    expect(q.take(10, 1000)).toEqual(items);
    expect(q.size).toBe(0);
  });

  it('sheds the newest lowest-priority alert when full, never a Critical for a Debug', () => {
    const q = new AlertQueue({ maxalerts: 3, maxbytes: 1000 });
    const [d1, d2, c1] = [entry('Debug'), entry('Debug'), entry('Critical')];
    [d1, d2, c1].forEach((e) => expect(q.push(e)).toEqual([]));
    const c2 = entry('Critical');
    expect(q.push(c2)).toEqual([d2]);
    const d3 = entry('Debug');
    expect(q.push(d3)).toEqual([d3]);
    expect(q.take(10, 1000)).toEqual([d1, c1, c2]);
  });

  it('drops a new Critical only when everything queued is Critical', () => {
    const q = new AlertQueue({ maxalerts: 2, maxbytes: 1000 });
    q.push(entry('Critical'));
    q.push(entry('Critical'));
    const late = entry('Critical');
    expect(q.push(late)).toEqual([late]);
  });

  it('bounds bytes as well as count', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 25 });
    const [a, b] = [entry('Warning', 10), entry('Warning', 10)];
    q.push(a);
    q.push(b);
    const c = entry('Warning', 10);
    expect(q.push(c)).toEqual([c]);
    expect(q.bytes).toBe(20);
  });

  it('takes batches within maxevents and maxbytes, at least one alert', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 10_000 });
    const items = [entry('Notice', 40), entry('Notice', 40), entry('Notice', 40)];
    items.forEach((e) => q.push(e));
    expect(q.take(2, 10_000)).toEqual(items.slice(0, 2));
    expect(q.take(10, 10)).toEqual([items[2]]);
  });

  it('restores retried alerts to the front, in arrival order', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 10_000 });
    const items = [entry('Notice'), entry('Error'), entry('Notice'), entry('Notice')];
    items.forEach((e) => q.push(e));
    const first = q.take(2, 10_000);
    q.push(entry('Notice'));
    q.restore(first);
    expect(q.take(3, 10_000)).toEqual([items[0], items[1], items[2]]);
    expect(q.oldestReceivedAt()).toBe(items[3]?.receivedAt);
  });

  it('takes no more alerts than any taken alert\'s own cap (its last batch failed whole), and drains them all', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 10_000 });
    const items = Array.from({ length: 7 }, () => entry('Notice'));
    items.forEach((e) => q.push(e));
    for (const e of items.slice(0, 3)) e.maxBatch = 2;
    (items[4] as QueueEntry).maxBatch = 1;
    expect(q.take(10, 10_000)).toEqual(items.slice(0, 2));
    expect(q.take(10, 10_000)).toEqual(items.slice(2, 4)); // the cap of the first one taken
    expect(q.take(10, 10_000)).toEqual([items[4]]);
    expect(q.take(10, 10_000)).toEqual(items.slice(5)); // no cap: maxevents
    items.forEach((e) => q.restore([e]));
    expect(q.drainAll()).toEqual(items);
    expect([q.size, q.bytes]).toEqual([0, 0]);
  });

  it('takes the alert ranked first among the oldest, looking so deep, and leaves the others in their place', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 10_000 });
    const items = Array.from({ length: 6 }, () => entry('Notice'));
    items.forEach((e) => q.push(e));
    const [a, b, c, d, e5] = items as [QueueEntry, QueueEntry, QueueEntry, QueueEntry, QueueEntry];
    const ranks = new Map([[a, 5], [b, 3], [c, 0], [d, 3], [e5, 1]]);
    const rank = (e: QueueEntry) => ranks.get(e) ?? 9;
    expect(q.takeLowest(rank, 8)).toEqual([c]); // ranked 0: taken at once, nothing after it looked at
    expect(q.takeLowest(rank, 1)).toEqual([b]); // a and b looked at (the depth): b ranks lower
    expect(q.takeLowest(rank, 8)).toEqual([e5]);
    expect(q.drainAll()).toEqual([a, d, items[5]]);
    expect(q.takeLowest(rank, 8)).toEqual([]);
  });
});

/** Seqs of what a queue holds, oldest first, taken out. */
function seqs(entries: readonly QueueEntry[]): number[] {
  return entries.map((e) => e.seq);
}

describe('AlertQueue compact backlog', () => {
  it('holds alerts queued behind hotDepth as their JSON and gives back an equal, frozen alert', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 2);
    const items = [0, 1, 2, 3].map((i) => falcoEntry(i));
    const originals = items.map((e) => e.load());
    const json = originals.map((a) => serializeAlert(a));
    items.forEach((e) => q.push(e));

    const taken = q.take(10, Infinity);
    expect(seqs(taken)).toEqual(seqs(items));
    // The first two are the very entries pushed; the deep ones are made again from their block.
    expect(taken[0]).toBe(items[0]);
    expect(taken[1]).toBe(items[1]);
    expect(taken.map((e) => e.isCompact)).toEqual([false, false, true, true]);
    for (const [i, e] of taken.entries()) {
      expect([e.priority, e.bytes, e.receivedAt, e.attempts]).toEqual([items[i]?.priority, items[i]?.bytes, items[i]?.receivedAt, 0]);
      const alert = e.load();
      expect(alert).toEqual(originals[i]);
      expect(Object.isFrozen(alert) && Object.isFrozen(alert.output_fields)).toBe(true);
      // The JSON is not recomputed, and the big integer comes back exact.
      expect(serializeAlert(alert)).toBe(json[i]);
      expect(JSON.stringify(alert.output_fields['evt.time'])).toBe(String(1700000000167531875n + BigInt(i)));
    }
    expect(taken[2]?.load()).toBe(taken[2]?.load()); // parsed once
  });

  it('keeps a deep alert\'s attempts and exact arrival time', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 0);
    const alert = freezeAlert(toAlert(parseJson(falcoAlertJson(0)) as AlertInput));
    const receivedAt = Date.now() - 40 * 86_400_000 + 0.5;
    q.push(new QueueEntry(alert, { bytes: 7, seq: seq++, receivedAt, attempts: 3 }));
    expect(q.oldestReceivedAt()).toBe(receivedAt);
    const [back] = q.take(1, Infinity);
    expect([back?.attempts, back?.receivedAt, back?.bytes, back?.spoolId]).toEqual([3, receivedAt, 7, undefined]);
  });

  it('sheds and counts compact entries by priority without parsing them', () => {
    const q = new AlertQueue({ maxalerts: 2, maxbytes: 1_000_000 }, 1);
    const [critical, notice] = [falcoEntry(0, 'Critical'), falcoEntry(1, 'Notice')];
    q.push(critical);
    q.push(notice);
    const debug = falcoEntry(2, 'Debug');
    const shed = q.push(debug);
    expect(seqs(shed)).toEqual([debug.seq]);
    expect(shed[0]?.isCompact).toBe(true);
    expect(shed[0]?.priority).toBe('Debug');
    expect(shed[0]?.uuid()).toBe('alert-2');
    expect(q.size).toBe(2);
    expect(q.take(10, Infinity).map((e) => e.load().priority)).toEqual(['Critical', 'Notice']);
  });

  it('keeps a retried compact entry in its place', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 1);
    const items = [0, 1, 2].map((i) => falcoEntry(i));
    items.forEach((e) => q.push(e));
    const first = q.take(2, Infinity);
    q.restore(first);
    expect(q.take(10, Infinity).map((e) => e.load().uuid)).toEqual(['alert-0', 'alert-1', 'alert-2']);
  });

  it('keeps arrival order when the queue drains below hotDepth while a lane still holds deep alerts', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 2);
    const items = Array.from({ length: 5 }, (_, i) => falcoEntry(i));
    items.forEach((e) => q.push(e));
    expect(seqs(q.take(2, Infinity))).toEqual(seqs(items.slice(0, 2)));
    // Two queued now, under hotDepth, but both deep: the next joins them behind.
    const late = [falcoEntry(5), falcoEntry(6, 'Critical')];
    late.forEach((e) => q.push(e));
    expect(seqs(q.take(10, Infinity))).toEqual(seqs([...items.slice(2), ...late]));
  });

  it('puts back an entry handed over by a reload behind deep alerts older than it, in order', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 1);
    const items = Array.from({ length: 4 }, (_, i) => falcoEntry(i));
    const newer = falcoEntry(4);
    const oldest = falcoEntry(5);
    items.forEach((e) => q.push(e));
    q.restore([new QueueEntry(newer.load(), { bytes: newer.bytes, seq: newer.seq, receivedAt: newer.receivedAt })]);
    q.restore([new QueueEntry(oldest.load(), { bytes: oldest.bytes, seq: -1, receivedAt: oldest.receivedAt })]);
    expect(q.size).toBe(6);
    expect(q.take(10, Infinity).map((e) => e.load().uuid)).toEqual(['alert-5', 'alert-0', 'alert-1', 'alert-2', 'alert-3', 'alert-4']);
  });

  it('holds a spooled entry behind hotDepth as nothing but its spool id, and reads it back once when taken', () => {
    const spool = new Map<number, string>();
    const reads: number[] = [];
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 1, (id) => (reads.push(id), spool.get(id)));
    const spooled = [0, 1, 2].map((i) => {
      const alert = freezeAlert(toAlert(parseJson(falcoAlertJson(i)) as AlertInput));
      spool.set(i, serializeAlert(alert));
      return { alert, entry: new QueueEntry(alert, { bytes: serializeAlert(alert).length, seq: seq++, receivedAt: seq, spoolId: i }) };
    });
    const unspooled = falcoEntry(3);
    for (const { entry } of spooled) q.push(entry);
    q.push(unspooled);
    expect(reads).toEqual([]);
    const taken = q.take(10, Infinity);
    expect(taken.map((e) => e.isCompact)).toEqual([false, true, true, true]);
    expect(taken.map((e) => e.spoolId)).toEqual([0, 1, 2, undefined]);
    expect(taken.map((e) => e.uuid())).toEqual(['alert-0', undefined, undefined, 'alert-3']);
    for (const [i, { alert }] of spooled.entries()) {
      const back = taken[i]?.load() as Alert;
      expect(back).toEqual(alert);
      expect(serializeAlert(back)).toBe(spool.get(i));
      expect(JSON.stringify(back.output_fields['evt.time'])).toBe(String(1700000000167531875n + BigInt(i)));
    }
    expect(taken[2]?.load()).toBe(taken[2]?.load());
    expect(reads).toEqual([1, 2]); // once each; the one without a spool id kept its JSON
    expect(taken[3]?.load().uuid).toBe('alert-3');
  });

  it('throws SpoolReadError when the spool no longer has a compact entry\'s alert', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 0, () => undefined);
    const alert = freezeAlert(toAlert(parseJson(falcoAlertJson(0)) as AlertInput));
    q.push(new QueueEntry(alert, { bytes: 1, seq: seq++, receivedAt: seq, spoolId: 7 }));
    const [gone] = q.take(1, Infinity);
    expect(() => gone?.load()).toThrow(SpoolReadError);
    expect(() => gone?.load()).toThrow('alert 7 is no longer in the spool');
  });
});

describe('AlertQueue evictions (takeSpooled)', () => {
  /** A queue of `n` spooled alerts (spool id = i), `hot` of them held as objects. */
  function spooledQueue(n: number, hot: number, priorityOf: (i: number) => Priority = () => 'Notice') {
    const json = new Map<number, string>();
    const q = new AlertQueue({ maxalerts: 1000, maxbytes: 1_000_000 }, hot, (id) => json.get(id), 4);
    for (let i = 0; i < n; i++) {
      const alert = freezeAlert(toAlert(parseJson(falcoAlertJson(i, priorityOf(i))) as AlertInput));
      json.set(i, serializeAlert(alert));
      q.push(new QueueEntry(alert, { bytes: 10 + i, seq: seq++, receivedAt: seq, spoolId: i }));
    }
    return q;
  }

  it('takes out an evicted alert wherever it is queued: deep at the tail, deep in the middle, near the head', () => {
    const q = spooledQueue(12, 3);
    for (const id of [11, 6, 1, 3]) expect(q.takeSpooled(id, 2)?.spoolId).toBe(id);
    expect(q.size).toBe(8);
    expect(q.bytes).toBe([0, 2, 4, 5, 7, 8, 9, 10].reduce((sum, i) => sum + 10 + i, 0));
    expect(q.take(100, Infinity).map((e) => e.spoolId)).toEqual([0, 2, 4, 5, 7, 8, 9, 10]);
  });

  it('finds nothing for an alert not queued (in flight, already taken, another priority\'s lane)', () => {
    const q = spooledQueue(6, 2, (i) => (i === 5 ? 'Critical' : 'Notice'));
    q.take(1, Infinity);
    expect(q.takeSpooled(0, 2)).toBeUndefined();
    expect(q.takeSpooled(99)).toBeUndefined();
    expect(q.takeSpooled(5, 2)).toBeUndefined();
    expect(q.takeSpooled(5)?.priority).toBe('Critical');
    expect(q.size).toBe(4);
    expect(q.take(100, Infinity).map((e) => e.spoolId)).toEqual([1, 2, 3, 4]);
  });

  it('takes past alerts evicted from the middle of a block, and reads each of the rest back', () => {
    const q = spooledQueue(8, 0);
    expect(q.takeSpooled(6, 2)?.spoolId).toBe(6);
    expect(q.takeSpooled(5, 2)?.spoolId).toBe(5);
    const taken = [0, 1, 2, 3, 4, 5].flatMap(() => q.take(1, Infinity));
    expect(taken.map((e) => e.load().uuid)).toEqual(['alert-0', 'alert-1', 'alert-2', 'alert-3', 'alert-4', 'alert-7']);
    expect(q.size).toBe(0);
  });
});

describe('AlertQueue against a plain list', () => {
  it('takes, sheds, restores and evicts as a sorted list of every entry would, through random operations', () => {
    let state = 42;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const priorities: Priority[] = ['Debug', 'Notice', 'Critical'];
    for (let round = 0; round < 20; round++) {
      const maxalerts = 40 + Math.floor(random() * 40);
      const json = new Map<number, string>();
      const spooled = round % 2 === 0;
      const q = new AlertQueue({ maxalerts, maxbytes: Infinity }, Math.floor(random() * 8), spooled ? (id) => json.get(id) : undefined, 1 + Math.floor(random() * 5));
      const model: { seq: number; rank: number; id: number }[] = [];
      const inFlight: QueueEntry[] = [];
      let next = 0;
      const check = (got: readonly QueueEntry[], want: readonly { seq: number }[]) => expect(got.map((e) => e.seq)).toEqual(want.map((w) => w.seq));
      const shedFromModel = () => {
        const shed: { seq: number }[] = [];
        while (model.length > maxalerts) {
          const rank = Math.min(...model.map((m) => m.rank));
          const at = model.findLastIndex((m) => m.rank === rank);
          shed.push(...model.splice(at, 1));
        }
        return shed;
      };
      for (let op = 0; op < 300; op++) {
        const r = random();
        if (r < 0.5) {
          const rank = Math.floor(random() * 3);
          const id = next++;
          const alert = { uuid: `r${id}`, priority: priorities[rank] } as Alert;
          json.set(id, JSON.stringify(alert));
          const entry = new QueueEntry(alert, { bytes: 1, seq: 1000 * round + id, receivedAt: id, spoolId: spooled ? id : undefined });
          model.push({ seq: entry.seq, rank, id });
          check(q.push(entry), shedFromModel());
        } else if (r < 0.7) {
          const n = 1 + Math.floor(random() * 6);
          const taken = q.take(n, Infinity);
          model.sort((a, b) => a.seq - b.seq);
          const want = model.splice(0, n);
          check(taken, want);
          inFlight.push(...taken);
        } else if (r < 0.85 && inFlight.length > 0) {
          const back = inFlight.splice(0, 1 + Math.floor(random() * inFlight.length));
          for (const e of back) model.push({ seq: e.seq, rank: priorities.indexOf(e.priority as Priority), id: e.spoolId ?? -1 });
          model.sort((a, b) => a.seq - b.seq);
          check(q.restore(back), shedFromModel());
        } else if (spooled && model.length > 0) {
          const victim = model[Math.floor(random() * model.length)] as { seq: number; rank: number; id: number };
          const taken = q.takeSpooled(victim.id, priorityRank(priorities[victim.rank] as Priority));
          expect(taken?.seq, `round ${round} op ${op}: ${JSON.stringify(victim)} in ${JSON.stringify(model)}`).toBe(victim.seq);
          model.splice(model.indexOf(victim), 1);
        }
        model.sort((a, b) => a.seq - b.seq);
        expect(q.size).toBe(model.length);
      }
      const rest = q.drainAll();
      check(rest, model);
      for (const e of rest) expect(e.load().uuid).toBe(`r${spooled ? e.spoolId : e.seq - 1000 * round}`);
    }
  });
});

describe('AlertQueue packed backlog (no spool)', () => {
  it('packs deep alerts a block at a time per priority and gives back each alert exactly, its JSON unchanged', async () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 1, undefined, 4);
    const priorities: Priority[] = ['Notice', 'Critical'];
    const items = Array.from({ length: 12 }, (_, i) => falcoEntry(i, priorities[i % 2]));
    // Non-ASCII text survives the block's UTF-8 round trip.
    const accentedJson = falcoAlertJson(12).trim().replace('"proc.cmdline":"sh -c id"', '"proc.cmdline":"sh -c \\"échec ✓ 🐧\\""');
    items[3] = new QueueEntry(thawAlert(accentedJson.replace('"priority":"Notice"', '"priority":"Critical"')), { bytes: 1, seq: (items[3] as QueueEntry).seq, receivedAt: seq });
    const json = items.map((e) => serializeAlert(e.load()));
    const originals = items.map((e) => e.load());
    items.forEach((e) => q.push(e));
    await afterPacking();

    const taken = q.take(100, Infinity);
    expect(seqs(taken)).toEqual(seqs(items)); // arrival order across priorities
    // The first stays parsed (hotDepth 1); each lane fills a block of 4 (Notice: 2, 4, 6, 8; Critical:
    // 1, 3, 5, 7); the last three wait for their lanes' next blocks.
    expect(taken.map((e) => e.isPacked)).toEqual([false, true, true, true, true, true, true, true, true, false, false, false]);
    expect(taken.map((e) => e.uuid())).toEqual(originals.map((a) => a.uuid));
    for (const [i, e] of taken.entries()) {
      const alert = e.load();
      expect(alert).toEqual(originals[i]);
      expect(serializeAlert(alert)).toBe(json[i]);
      expect(e.isPacked).toBe(false);
    }
    expect(taken[3]?.load().output_fields['proc.cmdline']).toBe('sh -c "échec ✓ 🐧"');
  });

  it('packs nothing in the turn that filled the block', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 0, undefined, 2);
    [0, 1].forEach((i) => q.push(falcoEntry(i)));
    expect(q.take(2, Infinity).map((e) => [e.isCompact, e.isPacked])).toEqual([[true, false], [true, false]]);
  });

  it('reads entries of different blocks in any order', async () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 0, undefined, 3);
    Array.from({ length: 9 }, (_, i) => falcoEntry(i)).forEach((e) => q.push(e));
    await afterPacking();
    const taken = q.take(100, Infinity);
    expect(taken.every((e) => e.isPacked)).toBe(true);
    for (const i of [8, 0, 4, 1, 7, 3]) expect(taken[i]?.load().uuid).toBe(`alert-${i}`);
  });

  it('sheds a packed entry by priority and names it without parsing it', async () => {
    const q = new AlertQueue({ maxalerts: 4, maxbytes: 1_000_000 }, 0, undefined, 2);
    const debug = [falcoEntry(0, 'Debug'), falcoEntry(1, 'Debug')];
    const critical = [falcoEntry(2, 'Critical'), falcoEntry(3, 'Critical')];
    [...debug, ...critical].forEach((e) => q.push(e));
    await afterPacking();
    const shed = q.push(falcoEntry(4, 'Critical'));
    expect(seqs(shed)).toEqual([debug[1]?.seq]);
    expect(shed[0]?.isPacked).toBe(true);
    expect(shed[0]?.uuid()).toBe('alert-1');
    expect(shed[0]?.isPacked).toBe(true);
    expect(q.take(10, Infinity).map((e) => e.load().uuid)).toEqual(['alert-0', 'alert-2', 'alert-3', 'alert-4']);
  });

  it('does not pack an alert that a full queue sheds as it is pushed', async () => {
    const q = new AlertQueue({ maxalerts: 2, maxbytes: 1_000_000 }, 0, undefined, 2);
    [falcoEntry(0), falcoEntry(1)].forEach((e) => q.push(e));
    await afterPacking();
    const shed = [falcoEntry(2), falcoEntry(3)].flatMap((e) => q.push(e));
    await afterPacking();
    expect(shed.map((e) => [e.uuid(), e.isPacked])).toEqual([['alert-2', false], ['alert-3', false]]);
    expect(q.take(10, Infinity).map((e) => [e.uuid(), e.isPacked])).toEqual([['alert-0', true], ['alert-1', true]]);
  });

  it('gives an entry taken before its block was made its own JSON, and packs the rest', async () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 0, undefined, 3);
    const items = Array.from({ length: 6 }, (_, i) => falcoEntry(i));
    items.slice(0, 4).forEach((e) => q.push(e));
    // The first block is full; taken from before it is made.
    const [first] = q.take(1, Infinity);
    items.slice(4).forEach((e) => q.push(e));
    await afterPacking();
    expect(first?.isPacked).toBe(false);
    expect(first?.load().uuid).toBe('alert-0');
    expect(q.take(10, Infinity).map((e) => [e.uuid(), e.isPacked])).toEqual([
      ['alert-1', true],
      ['alert-2', true],
      ['alert-3', true],
      ['alert-4', true],
      ['alert-5', true],
    ]);
  });

  it('seals a block at 64 KiB of JSON, however few alerts that is', async () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 100_000_000 }, 0);
    const big = (i: number) => {
      const json = falcoAlertJson(i).trim().replace('"proc.cmdline":"sh -c id"', `"proc.cmdline":"sh -c ${'x'.repeat(30_000)}"`);
      return new QueueEntry(thawAlert(json), { bytes: json.length, seq: seq++, receivedAt: seq });
    };
    [big(0), big(1), big(2), big(3)].forEach((e) => q.push(e));
    await afterPacking();
    // The third crosses 64 KiB: the first three make a block, the fourth waits for the next.
    const taken = q.take(10, Infinity);
    expect(taken.map((e) => e.isPacked)).toEqual([true, true, true, false]);
    expect(taken.map((e) => e.load().output_fields['proc.cmdline']?.toString().length)).toEqual([30_006, 30_006, 30_006, 30_006]);
  });

  it('leaves a block as it is when a JSON in it holds a newline (never written by JSON.stringify)', async () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 0, undefined, 2);
    const pretty = JSON.stringify(parseJson(falcoAlertJson(0)), null, 1);
    [new QueueEntry(thawAlert(pretty), { bytes: 1, seq: seq++, receivedAt: seq }), falcoEntry(1), falcoEntry(2), falcoEntry(3)].forEach((e) => q.push(e));
    await afterPacking();
    const taken = q.take(10, Infinity);
    expect(taken.map((e) => [e.isCompact, e.isPacked])).toEqual([[true, false], [true, false], [true, true], [true, true]]);
    expect(serializeAlert(taken[0]?.load() as Alert)).toBe(pretty);
    expect(taken[1]?.load().uuid).toBe('alert-1');
  });
});

describe('PackedBlock', () => {
  it('holds 64 Falco alerts in under a quarter of their JSON', () => {
    const json = Array.from({ length: PACK_ALERTS }, (_, i) => JSON.stringify(JSON.parse(distinctAlert(`pack-${i}`, i).json)));
    const block = new PackedBlock(json);
    expect(block.size * 4).toBeLessThan(json.reduce((n, j) => n + j.length, 0));
    expect(json.map((_, i) => block.json(i))).toEqual(json);
  });

  it('names each alert by the uuid its JSON starts with, and no other', () => {
    const json = ['{"uuid":"first","a":1}', '{"a":2,"uuid":"not-leading"}', '{"uuid":"","a":3}', '{"uuid":"last"}'];
    const block = new PackedBlock(json);
    expect(json.map((_, i) => block.uuid(i))).toEqual(['first', undefined, undefined, 'last']);
  });

  it('gives back canonical uuids exactly from their 16 bytes, and any other spelling as written', () => {
    const uuids = Array.from({ length: 64 }, () => randomUUID());
    const block = new PackedBlock(uuids.map((uuid) => `{"uuid":"${uuid}","a":1}`));
    expect(uuids.map((_, i) => block.uuid(i))).toEqual(uuids);
    expect(block.uuid(64)).toBeUndefined();
    // One uuid in another form (upper case, as a sender may write it) keeps the whole block's as text.
    const mixed = [uuids[0] as string, (uuids[1] as string).toUpperCase(), uuids[2] as string];
    const kept = new PackedBlock(mixed.map((uuid) => `{"uuid":"${uuid}"}`));
    expect(mixed.map((_, i) => kept.uuid(i))).toEqual(mixed);
  });
});
