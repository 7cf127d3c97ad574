import { describe, expect, it } from 'vitest';
import { AlertQueue, QueueEntry, SpoolReadError } from '../../../src/dispatch/queue.ts';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import type { Priority } from '../../../src/alert/priority.ts';
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
});

describe('AlertQueue compact backlog', () => {
  it('holds alerts queued behind hotDepth as their JSON and gives back an equal, frozen alert', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 2);
    const items = [0, 1, 2, 3].map((i) => falcoEntry(i));
    const originals = items.map((e) => e.load());
    const json = originals.map((a) => serializeAlert(a));
    items.forEach((e) => q.push(e));
    expect(items.map((e) => e.isCompact)).toEqual([false, false, true, true]);

    const taken = q.take(10, Infinity);
    expect(taken).toEqual(items);
    for (const [i, e] of taken.entries()) {
      const alert = e.load();
      expect(alert).toEqual(originals[i]);
      expect(Object.isFrozen(alert) && Object.isFrozen(alert.output_fields)).toBe(true);
      // The JSON is not recomputed, and the big integer comes back exact.
      expect(serializeAlert(alert)).toBe(json[i]);
      expect(JSON.stringify(alert.output_fields['evt.time'])).toBe(String(1700000000167531875n + BigInt(i)));
    }
    expect(taken[2]?.load()).toBe(taken[2]?.load()); // parsed once
  });

  it('sheds and counts compact entries by priority without parsing them', () => {
    const q = new AlertQueue({ maxalerts: 2, maxbytes: 1_000_000 }, 1);
    const [critical, notice] = [falcoEntry(0, 'Critical'), falcoEntry(1, 'Notice')];
    q.push(critical);
    q.push(notice);
    const debug = falcoEntry(2, 'Debug');
    expect(q.push(debug)).toEqual([debug]);
    expect(debug.isCompact).toBe(true);
    expect(debug.priority).toBe('Debug');
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

describe('AlertQueue packed backlog (no spool)', () => {
  it('packs compact entries a block at a time and gives back each alert exactly, its JSON unchanged', async () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 1, undefined, 4);
    const priorities: Priority[] = ['Notice', 'Critical', 'Debug', 'Warning'];
    const items = Array.from({ length: 12 }, (_, i) => falcoEntry(i, priorities[i % 4]));
    // Non-ASCII text survives the block's UTF-8 round trip.
    const accentedJson = falcoAlertJson(12).trim().replace('"proc.cmdline":"sh -c id"', '"proc.cmdline":"sh -c \\"échec ✓ 🐧\\""');
    items[3] = new QueueEntry(thawAlert(accentedJson), { bytes: 1, seq: (items[3] as QueueEntry).seq, receivedAt: seq });
    const json = items.map((e) => serializeAlert(e.load()));
    const originals = items.map((e) => e.load());
    items.forEach((e) => q.push(e));
    // Until its block is made, after this turn, an entry keeps its JSON.
    expect(items.map((e) => [e.isCompact, e.isPacked])).toEqual(items.map((_, i) => [i > 0, false]));
    await afterPacking();
    // The first stays parsed (hotDepth 1); the next eight fill two blocks; the last three wait for a third.
    expect(items.map((e) => e.isPacked)).toEqual([false, true, true, true, true, true, true, true, true, false, false, false]);
    expect(items.map((e) => e.uuid())).toEqual(originals.map((a) => a.uuid));

    const taken = q.take(100, Infinity);
    expect(taken.map((e) => e.seq)).toEqual(items.map((e) => e.seq)); // arrival order across priorities
    for (const [i, e] of taken.entries()) {
      const alert = e.load();
      expect(alert).toEqual(originals[i]);
      expect(serializeAlert(alert)).toBe(json[i]);
      expect(e.isPacked).toBe(false);
    }
    expect(taken[3]?.load().output_fields['proc.cmdline']).toBe('sh -c "échec ✓ 🐧"');
  });

  it('reads entries of different blocks in any order', async () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 0, undefined, 3);
    const items = Array.from({ length: 9 }, (_, i) => falcoEntry(i));
    items.forEach((e) => q.push(e));
    await afterPacking();
    expect(items.every((e) => e.isPacked)).toBe(true);
    for (const i of [8, 0, 4, 1, 7, 3]) expect(items[i]?.load().uuid).toBe(`alert-${i}`);
  });

  it('sheds a packed entry by priority and names it without parsing it', async () => {
    const q = new AlertQueue({ maxalerts: 4, maxbytes: 1_000_000 }, 0, undefined, 2);
    const debug = [falcoEntry(0, 'Debug'), falcoEntry(1, 'Debug')];
    const critical = [falcoEntry(2, 'Critical'), falcoEntry(3, 'Critical')];
    [...debug, ...critical].forEach((e) => q.push(e));
    await afterPacking();
    expect([...debug, ...critical].every((e) => e.isPacked)).toBe(true);
    const shed = q.push(falcoEntry(4, 'Critical'));
    expect(shed).toEqual([debug[1]]);
    expect(shed[0]?.uuid()).toBe('alert-1');
    expect(shed[0]?.isPacked).toBe(true);
    expect(q.take(10, Infinity).map((e) => e.load().uuid)).toEqual(['alert-0', 'alert-2', 'alert-3', 'alert-4']);
  });

  it('does not pack an alert that a full queue sheds as it is pushed', async () => {
    const q = new AlertQueue({ maxalerts: 2, maxbytes: 1_000_000 }, 0, undefined, 2);
    const kept = [falcoEntry(0), falcoEntry(1)];
    kept.forEach((e) => q.push(e));
    await afterPacking();
    const shed = [falcoEntry(2), falcoEntry(3)];
    expect(shed.map((e) => q.push(e))).toEqual([[shed[0]], [shed[1]]]);
    await afterPacking();
    expect([...kept, ...shed].map((e) => e.isPacked)).toEqual([true, true, false, false]);
    expect(shed.map((e) => e.uuid())).toEqual(['alert-2', 'alert-3']);
  });

  it('leaves as it is an entry taken and parsed before its block was made', async () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 0, undefined, 3);
    const items = Array.from({ length: 6 }, (_, i) => falcoEntry(i));
    // Taken and parsed before its block was full…
    q.push(items[0] as QueueEntry);
    const [first] = q.take(1, Infinity);
    const firstAlert = first?.load();
    q.push(items[1] as QueueEntry);
    q.push(items[2] as QueueEntry);
    // …and once it was full, before it was made.
    items.slice(3).forEach((e) => q.push(e));
    const [second] = q.take(1, Infinity);
    expect(second).toBe(items[1]);
    const secondAlert = second?.load();
    await afterPacking();
    expect(items.map((e) => e.isPacked)).toEqual([false, false, true, true, true, true]);
    expect(first?.load()).toBe(firstAlert);
    expect(second?.load()).toBe(secondAlert);
    expect(q.take(10, Infinity).map((e) => e.load().uuid)).toEqual(['alert-2', 'alert-3', 'alert-4', 'alert-5']);
  });

  it('seals a block at 64 KiB of JSON, however few alerts that is', async () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 100_000_000 }, 0);
    const big = (i: number) => {
      const json = falcoAlertJson(i).trim().replace('"proc.cmdline":"sh -c id"', `"proc.cmdline":"sh -c ${'x'.repeat(30_000)}"`);
      return new QueueEntry(thawAlert(json), { bytes: json.length, seq: seq++, receivedAt: seq });
    };
    const items = [big(0), big(1), big(2), big(3)];
    items.forEach((e) => q.push(e));
    await afterPacking();
    // The third crosses 64 KiB: the first three make a block, the fourth waits for the next.
    expect(items.map((e) => e.isPacked)).toEqual([true, true, true, false]);
    expect(q.take(10, Infinity).map((e) => e.load().output_fields['proc.cmdline']?.toString().length)).toEqual([30_006, 30_006, 30_006, 30_006]);
  });

  it('keeps as it is a JSON that holds a newline (never written by JSON.stringify)', async () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 1_000_000 }, 0, undefined, 2);
    const pretty = JSON.stringify(parseJson(falcoAlertJson(0)), null, 1);
    const multiline = new QueueEntry(thawAlert(pretty), { bytes: 1, seq: seq++, receivedAt: seq });
    const items = [multiline, falcoEntry(1), falcoEntry(2)];
    items.forEach((e) => q.push(e));
    await afterPacking();
    expect(items.map((e) => [e.isCompact, e.isPacked])).toEqual([[true, false], [true, true], [true, true]]);
    expect(serializeAlert(multiline.load())).toBe(pretty);
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
});
