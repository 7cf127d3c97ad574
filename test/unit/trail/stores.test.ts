// The trail stores' bounds: memory by count and bytes, SQLite by age and size; attempts merged
// across commits; a spool-evicted entry found by its spool id; new alerts left out while the
// writer thread is behind; the console's rate limiter.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type Alert } from '../../../src/alert/alert.ts';
import { RateLimiter } from '../../../src/console/rate-limit.ts';
import { MemoryTrailStore } from '../../../src/trail/memory-store.ts';
import { openTrailReader, SqliteTrailStore } from '../../../src/trail/sqlite-store.ts';
import { waitFor } from '../../support/receiver.ts';
import { MAX_ATTEMPTS_KEPT, type TrailStore } from '../../../src/trail/store.ts';
import { serializeAlert, thawAlert } from '../../../src/alert/serialize.ts';
import { explainer, namespaceOf, type RouteFilter, type TrailQuery } from '../../../src/trail/types.ts';
import { TRAIL_SCHEMA_SQL } from '../../../src/trail/sqlite-schema.ts';
import { afterPacking, falcoAlertJson, variedAlertJson } from '../../support/alerts.ts';
import { PACK_ALERTS } from '../../../src/alert/packed.ts';

const explain = (a: Alert, output: string) => `${output} does not take ${a.priority}`;
const alert = (uuid: string, output = 'x') =>
  freezeAlert(toAlert({ uuid, priority: 'Warning', rule: 'r', time: '2026-11-20T10:21:36Z', output, output_fields: { 'k8s.ns.name': 'ns' } }));
const attempt = (at: number, outcome: 'ok' | 'retry' = 'retry') => ({ at, latencyMs: 1, outcome, detail: outcome === 'ok' ? 'ok' : `try ${at}`, batch: 1 });

describe('memory trail store', () => {
  it('keeps the last maxalerts alerts', () => {
    const s = new MemoryTrailStore({ maxalerts: 3, maxbytes: 1 << 30, outputs: ['a'], explain });
    for (let i = 1; i <= 5; i++) s.received(alert(`u${i}`), i, '', ['a'], 100);
    expect(s.size().alerts).toBe(3);
    expect(s.get('u2')).toBeUndefined();
    expect(s.list({ limit: 10 }).alerts.map((x) => x.uuid)).toEqual(['u5', 'u4', 'u3']);
  });

  it("counts rules and namespaces named after Object.prototype's members like any other", () => {
    const s = new MemoryTrailStore({ maxalerts: 10, maxbytes: 1 << 30, outputs: ['a'], explain });
    const now = Date.now();
    for (const [i, rule] of ['constructor', 'constructor', 'hasOwnProperty', '__proto__'].entries())
      s.received(freezeAlert(toAlert({ uuid: `p${i}`, priority: 'Warning', rule, time: '2026-11-20T10:21:36Z', output: 'o', output_fields: { 'k8s.ns.name': 'constructor' } })), now, '', ['a'], 100);
    const [bucket] = s.stats('rule', now - 1, 3_600_000).buckets.slice(-1);
    expect({ ...bucket?.counts }).toEqual({ constructor: 2, hasOwnProperty: 1, ['__proto__']: 1 });
    expect(JSON.parse(JSON.stringify(s.stats('namespace', now - 1, 3_600_000).buckets.slice(-1)[0]?.counts))).toEqual({ constructor: 4 });
  });

  it('keeps within maxbytes, counting the alert\'s JSON, its output text, bookkeeping, output states and attempts', () => {
    const text = 'x'.repeat(200);
    const probe = new MemoryTrailStore({ maxalerts: 1000, maxbytes: 1 << 30, outputs: ['a', 'b'], explain });
    probe.received(alert('u0', text), 0, '', ['a', 'b'], 0);
    const one = probe.size().bytes;
    expect(one).toBeGreaterThan(serializeAlert(alert('u0', text)).length + text.length + 300);
    const s = new MemoryTrailStore({ maxalerts: 1000, maxbytes: Math.floor(4.1 * one), outputs: ['a', 'b'], explain });
    for (let i = 1; i <= 10; i++) s.received(alert(`u${i}`, text), i, '', ['a', 'b'], 0);
    expect(s.size().alerts).toBe(4);
    // The newest alert's two outputs answer: their states and attempts are charged, the oldest goes.
    s.attempt(['u10'], 'a', attempt(11, 'ok'), 'delivered');
    s.attempt(['u10'], 'b', attempt(11, 'ok'), 'delivered');
    expect(s.size().bytes).toBeLessThanOrEqual(4.1 * one);
    expect(s.size().alerts).toBe(3);
    expect(s.get('u7')).toBeUndefined();
    expect(s.get('u10')?.outputs.map((o) => o.state)).toEqual(['delivered', 'delivered']);
  });

  it('finds an output text whatever its JSON escapes, and charges it its length', () => {
    const s = new MemoryTrailStore({ maxalerts: 10, maxbytes: 1 << 30, outputs: ['a'], explain });
    const plain = `shell in ${'x'.repeat(990)}`;
    const quoted = `shell in "${'x'.repeat(988)}"`; // escaped in the JSON
    s.received(alert('plain', plain), 1, '', ['a'], 100);
    const one = s.size().bytes;
    s.received(alert('quote', quoted), 2, '', ['a'], 100);
    // The same length of text, and of uuid; its JSON is two characters longer for the escapes.
    expect(s.size().bytes - one - one).toBe(2);
    expect(s.list({ limit: 10, text: 'SHELL IN' }).alerts.map((x) => [x.uuid, x.output])).toEqual([
      ['quote', quoted],
      ['plain', plain],
    ]);
  });

  it('packs the JSON of the records added in a turn after it, each given back byte for byte and charged its share of the block', async () => {
    const s = new MemoryTrailStore({ maxalerts: 1000, maxbytes: 1 << 30, outputs: ['a'], explain });
    const jsons = Array.from({ length: 150 }, (_, i) => variedAlertJson(i));
    const alerts = jsons.map((json) => thawAlert(json));
    for (const [i, a] of alerts.entries()) s.received(a, i, '', ['a'], 0);
    const unpacked = s.size().bytes;
    await afterPacking();
    // Two full blocks of PACK_ALERTS are packed; the last 22 records wait for more.
    const saved = unpacked - s.size().bytes;
    const packed = jsons.slice(0, 2 * PACK_ALERTS).reduce((sum, json) => sum + json.length, 0);
    expect(saved).toBeGreaterThan(0.75 * packed);
    expect(saved).toBeLessThan(packed);
    for (const i of [0, 63, 64, 127, 128, 149]) {
      const got = s.get(alerts[i]?.uuid ?? '');
      expect(got && serializeAlert(got.alert)).toBe(jsons[i]);
    }
    // The output text is read from the record, packed or not.
    const output = alerts[5]?.output ?? '';
    expect(s.list({ limit: 200, text: output.toUpperCase() }).alerts.map((x) => x.output)).toContain(output);
  });

  it('keeps an output text exactly once its JSON is packed, a lone surrogate or non-ASCII text included', async () => {
    const s = new MemoryTrailStore({ maxalerts: 1000, maxbytes: 1 << 30, outputs: ['a'], explain });
    const texts = ['shell in \ud800 container', 'shell in Zürich ✓ container'];
    for (let i = 0; i < PACK_ALERTS; i++) s.received(alert(`u${i}`, texts[i % 2]), i, '', ['a'], 0);
    await afterPacking();
    expect(s.list({ limit: 10, text: 'SHELL IN' }).alerts.slice(0, 2).map((x) => x.output)).toEqual([texts[1], texts[0]]);
    expect(s.get('u0')?.alert.output).toBe(texts[0]);
  });

  it('does not take off again the bytes of records evicted or replaced before their block was made', async () => {
    const s = new MemoryTrailStore({ maxalerts: 10, maxbytes: 1 << 30, outputs: ['a'], explain });
    const alerts = Array.from({ length: PACK_ALERTS }, (_, i) => thawAlert(variedAlertJson(i)));
    for (const [i, a] of alerts.entries()) s.received(a, i, '', ['a'], 0);
    // A replay of a kept alert: its first record goes, its new one takes its place.
    s.received(alerts[60] as Alert, 100, '', ['a'], 0);
    await afterPacking();
    expect(s.size().alerts).toBe(10);
    // Each of the ten is charged its record's bookkeeping (~450 bytes) and more: the 54 evicted and
    // the replaced one are charged nothing, so their packing takes nothing off.
    expect(s.size().bytes).toBeGreaterThan(10 * 400);
    expect(s.size().bytes).toBeLessThan(10 * (450 + 600));
  });

  it('charges a replayed alert for the output states it carries over', () => {
    const s = new MemoryTrailStore({ maxalerts: 1000, maxbytes: 1 << 30, outputs: ['a', 'b'], explain });
    s.received(alert('u1'), 1, '', ['a', 'b'], 1000);
    const fresh = s.size().bytes;
    s.attempt(['u1'], 'a', attempt(2), 'retrying', 'try 2');
    s.attempt(['u1'], 'b', attempt(2), 'retrying', 'try 2');
    const withStates = s.size().bytes;
    expect(withStates).toBeGreaterThan(fresh);
    // Replayed to 'a' only: 'a' starts over, 'b' keeps its state and stays charged.
    s.received(alert('u1'), 3, '', ['a'], 1000);
    expect(s.size().bytes).toBeGreaterThan(fresh);
    expect(s.size().bytes).toBeLessThan(withStates);
    // Its times are those recorded, not shifted by the replay's later arrival.
    expect(s.get('u1')?.outputs.find((o) => o.output === 'b')).toMatchObject({ state: 'retrying', stateAt: 2, attempts: [{ at: 2, latencyMs: 1, outcome: 'retry', detail: 'try 2', batch: 1 }] });
    expect(s.get('u1')?.outputs.find((o) => o.output === 'a')).toMatchObject({ state: 'queued', stateAt: 3, attemptCount: 0, attempts: [] });
  });

  it('keeps the first and the latest attempts of a long retry, and the full count', () => {
    const s = new MemoryTrailStore({ maxalerts: 10, maxbytes: 1 << 30, outputs: ['a', 'b'], explain });
    s.received(alert('u'), 0, '10.0.0.1', ['a'], 100);
    for (let i = 1; i <= 30; i++) s.attempt(['u'], 'a', attempt(i), 'retrying', 'down');
    s.attempt(['u'], 'a', attempt(31, 'ok'), 'delivered');
    const out = s.get('u')?.outputs ?? [];
    const a = out.find((o) => o.output === 'a');
    expect(a?.attemptCount).toBe(31);
    expect(a?.attempts).toHaveLength(MAX_ATTEMPTS_KEPT);
    expect(a?.attempts[0]?.at).toBe(1);
    expect(a?.attempts.at(-1)).toMatchObject({ at: 31, outcome: 'ok' });
    expect(a?.reason).toBeUndefined();
    expect(out.find((o) => o.output === 'b')).toMatchObject({ routed: false, state: 'not_routed', reason: 'b does not take Warning' });
  });

  it('records one request for several alerts on each of them', () => {
    const s = new MemoryTrailStore({ maxalerts: 10, maxbytes: 1 << 30, outputs: ['a'], explain });
    for (const u of ['u1', 'u2', 'u3']) s.received(alert(u), 1, '', ['a'], 100);
    s.attempt(['u1', 'u3'], 'a', { ...attempt(5, 'ok'), batch: 2 }, 'delivered');
    for (const u of ['u1', 'u3']) expect(s.get(u)?.outputs[0]).toMatchObject({ state: 'delivered', stateAt: 5, attemptCount: 1, attempts: [{ at: 5, outcome: 'ok', batch: 2 }] });
    expect(s.get('u2')?.outputs[0]).toMatchObject({ state: 'queued', attemptCount: 0 });
  });

  it('gives back the alert exactly as outputs send it (int64 fields intact), and lists and filters by its fields', () => {
    const s = new MemoryTrailStore({ maxalerts: 10, maxbytes: 1 << 30, outputs: ['a'], explain });
    const big = thawAlert(falcoAlertJson(7, 'Critical'));
    s.received(big, 5, '10.0.0.2', ['a'], 100);
    s.received(alert('other'), 6, '', ['a'], 100);
    const got = s.get(big.uuid)?.alert;
    expect(got && serializeAlert(got)).toBe(serializeAlert(big));
    expect(got).not.toBe(big); // a copy from the JSON: the alert's own objects are not kept alive
    const hostname = big.hostname ?? '';
    expect(s.list({ limit: 10, hostname, priorities: ['critical'], rule: big.rule, text: big.output.slice(5, 25).toUpperCase() }).alerts).toEqual([
      expect.objectContaining({ uuid: big.uuid, from: '10.0.0.2', receivedAt: 5, rule: big.rule, priority: 'Critical', hostname, namespace: namespaceOf(big), output: big.output }),
    ]);
    expect(s.list({ limit: 10, namespace: 'ns' }).alerts.map((x) => x.uuid)).toEqual(['other']);
  });

  it('explains an alert by the outputs and filters it arrived under, after a reload rewrote them in place', () => {
    // As app.ts hands them over: the live list and map, which a reload rewrites (src/reload/reloader.ts).
    const outputs = ['a'];
    const filters = new Map<string, RouteFilter>([['a', { explain: (x) => `a wants Critical, not ${x.priority}` }]]);
    const s = new MemoryTrailStore({ maxalerts: 10, maxbytes: 1 << 30, outputs, explain: explainer(filters), filters });
    s.received(alert('old'), 1, '', [], 100);
    s.received(alert('old-taken'), 1, '', ['a'], 100);
    outputs.splice(0, 1, 'a', 'b');
    filters.clear();
    filters.set('a', { explain: () => undefined }).set('b', { explain: () => 'b wants nothing' });
    s.received(alert('new'), 2, '', ['a'], 100);
    const trail = (uuid: string) => s.get(uuid)?.outputs.map((o) => [o.output, o.state, o.reason]);
    expect(trail('old')).toEqual([['a', 'not_routed', 'a wants Critical, not Warning']]);
    expect(trail('old-taken')).toEqual([['a', 'queued', undefined]]);
    expect(trail('new')).toEqual([['a', 'queued', undefined], ['b', 'not_routed', 'b wants nothing']]);
    expect(s.list({ limit: 10 }).alerts.map((x) => [x.uuid, x.states])).toEqual([
      ['new', { a: 'queued', b: 'not_routed' }],
      ['old-taken', { a: 'queued' }],
      ['old', { a: 'not_routed' }],
    ]);
    expect(s.list({ limit: 10, state: 'not_routed' }).alerts.map((x) => x.uuid)).toEqual(['new', 'old']);
    // A reload that changes a filter only, of an output the same set of outputs left out before.
    filters.set('b', { explain: () => 'b wants less' });
    s.received(alert('newer'), 3, '', ['a'], 100);
    expect(trail('newer')).toEqual([['a', 'queued', undefined], ['b', 'not_routed', 'b wants less']]);
    expect(trail('new')).toEqual([['a', 'queued', undefined], ['b', 'not_routed', 'b wants nothing']]);
  });
});

describe.each(['memory', 'sqlite'] as const)('%s trail store, not routed or suppressed', (kind) => {
  it('lists an alert that noise control alone held back as suppressed, not as not routed', async () => {
    const options = { outputs: ['a', 'b'], explain };
    const s: TrailStore =
      kind === 'memory'
        ? new MemoryTrailStore({ maxalerts: 10, maxbytes: 1 << 30, ...options })
        : new SqliteTrailStore(join(mkdtempSync(join(tmpdir(), 'peregrine-trail-')), 'peregrine.db'), { maxbytes: 1 << 30, maxagems: 3_600_000, ...options, log: pino({ level: 'silent' }), now: () => 1 });
    // As ingest records them: received with the outputs that took it, then suppressed on those noise control held it from.
    s.received(alert('silenced'), 1, '', ['a'], 100);
    s.state('silenced', 'b', 'suppressed', 1, 'noise control');
    s.received(alert('not-routed'), 1, '', ['a'], 100);
    s.received(alert('both'), 1, '', [], 100);
    s.state('both', 'a', 'suppressed', 1, 'noise control');
    await s.ready?.();
    const uuids = (q: Omit<TrailQuery, 'limit'>) => s.list({ limit: 10, ...q }).alerts.map((x) => x.uuid);
    expect(uuids({ state: 'not_routed' })).toEqual(['both', 'not-routed']);
    expect(uuids({ state: 'suppressed' })).toEqual(['both', 'silenced']);
    expect(s.list({ limit: 10 }).alerts.map((x) => x.states)).toEqual([
      { a: 'suppressed', b: 'not_routed' },
      { a: 'queued', b: 'not_routed' },
      { a: 'queued', b: 'suppressed' },
    ]);
    s.close();
  });
});

// Commits run inline until the trail is busy, then on the writer thread: both ways, and the switch.
describe.each(['inline', 'thread'] as const)('SQLite trail store, %s writer', (mode) => {
  const storeAt = (path: string, now: { t: number }, maxbytes = 1 << 30, maxagems = 3_600_000) => {
    const s = new SqliteTrailStore(path, { maxbytes, maxagems, outputs: ['a', 'b'], explain, log: pino({ level: 'silent' }), now: () => now.t });
    if (mode === 'thread') s.startThread();
    expect(s.threaded).toBe(mode === 'thread');
    return s;
  };
  const newPath = () => join(mkdtempSync(join(tmpdir(), 'peregrine-trail-')), 'peregrine.db');
  const open = (now: { t: number }, maxbytes?: number, maxagems?: number) => storeAt(newPath(), now, maxbytes, maxagems);

  it('keeps what was committed inline when the writer thread starts', async () => {
    const now = { t: 1_000 };
    const s = open(now);
    s.received(alert('u1'), 1_000, '', ['a'], 100);
    s.attempt(['u1'], 'a', attempt(1_100), 'retrying', 'down');
    await s.ready();
    s.startThread();
    expect(s.threaded).toBe(true);
    s.attempt(['u1'], 'a', attempt(1_200, 'ok'), 'delivered');
    s.received(alert('u2'), 1_300, '', ['a'], 100);
    await s.ready();
    expect(s.get('u1')?.outputs.find((o) => o.output === 'a')).toMatchObject({ state: 'delivered', attemptCount: 2 });
    expect(s.get('u2')).toBeDefined();
    expect(s.size().alerts).toBe(2);
    s.close();
  });

  it('records one request for several alerts on each of them, held for their outcome or already written', async () => {
    const now = { t: 1_000 };
    const s = open(now);
    for (const u of ['u1', 'u2', 'u3']) s.received(alert(u), 1_000, '', ['a', 'b'], 100);
    s.attempt(['u1', 'u2', 'u3'], 'a', { ...attempt(1_100), batch: 3 }, 'retrying', 'down');
    await s.ready(); // written with that attempt
    s.attempt(['u1', 'u3'], 'a', { ...attempt(1_200, 'ok'), batch: 2 }, 'delivered');
    s.attempt(['u2'], 'b', attempt(1_250, 'ok'), 'delivered');
    await s.ready(); // merged into the written rows
    const a = (u: string) => s.get(u)?.outputs.find((o) => o.output === 'a');
    for (const u of ['u1', 'u3']) {
      expect(a(u)).toMatchObject({ state: 'delivered', stateAt: 1_200, attemptCount: 2 });
      expect(a(u)?.attempts.map((x) => [x.at, x.batch])).toEqual([[1_100, 3], [1_200, 2]]);
    }
    expect(a('u2')).toMatchObject({ state: 'retrying', reason: 'down', attemptCount: 1 });
    expect(s.get('u2')?.outputs.find((o) => o.output === 'b')).toMatchObject({ state: 'delivered', attemptCount: 1 });
    expect(s.get('u1')?.outputs.find((o) => o.output === 'b')).toMatchObject({ state: 'queued', attemptCount: 0 });
    s.close();
  });

  it('stores each alert\'s JSON as its text, byte for byte, whatever its characters', async () => {
    const path = newPath();
    const s = storeAt(path, { t: 1_000 });
    // Characters of one to four UTF-8 bytes, and ones JSON escapes.
    const outputs = Array.from({ length: 60 }, (_, i) => `shell ${i} in café 日本 🦅 "q" \\ \u2028 ${'x'.repeat(1500)}`);
    const sent = outputs.map((output, i) => alert(`u${i}`, output));
    for (const a of sent) s.received(a, 1_000, '', ['a'], 100);
    await s.ready();
    const check = new DatabaseSync(path);
    const rows = check.prepare('SELECT uuid, typeof(json) AS type, json FROM trail_alerts ORDER BY seq').all() as { uuid: string; type: string; json: string }[];
    check.close();
    expect(rows.map((r) => r.type)).toEqual(sent.map(() => 'text'));
    expect(rows.map((r) => [r.uuid, r.json])).toEqual(sent.map((a) => [a.uuid, serializeAlert(a)]));
    expect(s.get('u59')?.alert.output).toBe(outputs[59]);
    expect(s.list({ limit: 100, text: 'Café 日本 🦅' }).alerts).toHaveLength(60);
    s.close();
  });

  it('drops the (output, state) index of a trail file made before round 19, and filters by output and state without it', async () => {
    const path = newPath();
    const old = new DatabaseSync(path);
    old.exec(TRAIL_SCHEMA_SQL);
    old.exec('CREATE INDEX trail_outputs_state ON trail_outputs (output, state)');
    old.close();
    const now = { t: 1_000 };
    const s = storeAt(path, now);
    for (const u of ['u1', 'u2']) s.received(alert(u), 1_000, '', ['a', 'b'], 100);
    s.attempt(['u2'], 'a', attempt(1_100), 'retrying', 'down');
    await s.ready();
    const check = new DatabaseSync(path);
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'trail_outputs_state'").all()).toEqual([]);
    check.close();
    expect(s.list({ limit: 10, output: 'a', state: 'retrying' }).alerts.map((x) => x.uuid)).toEqual(['u2']);
    s.close();
  });

  it('finds a text in the alert\'s output whatever characters JSON or LIKE escape in it, and only in the output', async () => {
    const s = open({ t: 1_000 });
    const outputs = ['a "quoted" C:\\path\\x 100%_done', 'tab\tthere café', 'plain', 'quoted'];
    outputs.forEach((output, i) => s.received(alert(`u${i}`, output), 1_000 + i, '', ['a'], 100));
    await s.ready();
    const found = (text: string) => s.list({ limit: 10, text }).alerts.map((x) => x.uuid);
    expect(found('"QUOTED" c:\\PATH\\')).toEqual(['u0']);
    expect(found('100%_d')).toEqual(['u0']);
    expect(found('\\tthere')).toEqual([]); // the JSON holds the tab as "\\t"; the output holds no backslash
    expect(found('\tthere CAF')).toEqual(['u1']);
    expect(found('tab\tthere café')).toEqual(['u1']);
    expect(found('quoted')).toEqual(['u3', 'u0']);
    expect(found('Warning')).toEqual([]); // in the JSON (priority), not in the output
    s.close();
  });

  it('counts alerts per bucket; a bucket already counted is counted again once retention deleted from it', async () => {
    const now = { t: 160_000 };
    const s = open(now, 1 << 30, 105_000);
    const at = (uuid: string, t: number, priority: 'Warning' | 'Critical') =>
      s.received(freezeAlert(toAlert({ uuid, priority, rule: `r-${priority}`, time: '2026-11-20T10:21:36Z', output: 'o', output_fields: {} })), t, '', ['a'], 100);
    at('old', 30_000, 'Warning'); // deleted by the first retention (older than 160,000 - 105,000)
    at('b1', 60_000, 'Warning');
    at('b2', 100_000, 'Critical');
    at('c1', 150_000, 'Critical');
    await s.ready();
    const counts = (by: 'priority' | 'rule') => s.stats(by, 0, 60_000).buckets.map((b) => b.counts);
    expect(counts('priority')).toEqual([{}, { Warning: 1, Critical: 1 }, { Critical: 1 }]);
    expect(counts('rule')).toEqual([{}, { 'r-Warning': 1, 'r-Critical': 1 }, { 'r-Critical': 1 }]);
    now.t = 175_000; // the next retention deletes b1 (older than 70,000); c2 joins the open bucket
    at('c2', 170_000, 'Warning');
    await s.ready();
    expect(counts('priority')).toEqual([{}, { Critical: 1 }, { Critical: 1, Warning: 1 }]);
    expect(counts('rule')).toEqual([{}, { 'r-Critical': 1 }, { 'r-Critical': 1, 'r-Warning': 1 }]);
    expect(s.stats('priority', 90_000, 60_000).buckets.map((b) => b.counts)).toEqual([{ Critical: 1 }, { Critical: 1, Warning: 1 }]);
    s.close();
  });

  it("counts rules and namespaces named after Object.prototype's members like any other", async () => {
    const s = open({ t: 100_000 });
    for (const [i, rule] of ['constructor', 'constructor', 'hasOwnProperty', '__proto__'].entries())
      s.received(freezeAlert(toAlert({ uuid: `p${i}`, priority: 'Warning', rule, time: '2026-11-20T10:21:36Z', output: 'o', output_fields: { 'k8s.ns.name': 'constructor' } })), 90_000, '', ['a'], 100);
    await s.ready();
    const last = (by: 'rule' | 'namespace') => ({ ...s.stats(by, 0, 60_000).buckets.at(-1)?.counts });
    expect(last('rule')).toEqual({ constructor: 2, hasOwnProperty: 1, ['__proto__']: 1 });
    expect(last('namespace')).toEqual({ constructor: 4 });
    s.close();
  });

  it('lists the alerts in a state newest first, each once, with other filters and a cursor; unusual states from their partial index', async () => {
    const s = open({ t: 1_000 });
    const at = (uuid: string, rule: string) => s.received(freezeAlert(toAlert({ uuid, priority: 'Warning', rule, time: '2026-11-20T10:21:36Z', output: 'o', output_fields: {} })), 1_000, '', ['a', 'b'], 100);
    for (let i = 1; i <= 6; i++) at(`u${i}`, i % 2 ? 'odd' : 'even');
    s.attempt(['u1', 'u2', 'u3', 'u4', 'u5', 'u6'], 'a', { ...attempt(1_100, 'ok'), batch: 6 }, 'delivered');
    s.attempt(['u2', 'u3', 'u5'], 'b', { ...attempt(1_100), batch: 3 }, 'retrying', 'down');
    s.attempt(['u3'], 'a', attempt(1_200), 'retrying', 'down'); // u3: retrying on both outputs
    s.state('u6', 'b', 'dead_lettered', 1_300, 'rejected');
    s.state('u4', 'b', 'suppressed', 1_300, 'duplicate');
    await s.ready();
    const uuids = (q: Omit<TrailQuery, 'limit'>, limit = 10) => s.list({ limit, ...q });
    expect(uuids({ state: 'retrying' }).alerts.map((x) => x.uuid)).toEqual(['u5', 'u3', 'u2']);
    expect(uuids({ state: 'retrying', output: 'a' }).alerts.map((x) => x.uuid)).toEqual(['u3']);
    expect(uuids({ state: 'retrying', rule: 'odd' }).alerts.map((x) => x.uuid)).toEqual(['u5', 'u3']);
    expect(uuids({ state: 'dead_lettered', output: 'b' }).alerts.map((x) => [x.uuid, x.states])).toEqual([['u6', { a: 'delivered', b: 'dead_lettered' }]]);
    expect(uuids({ state: 'dead_lettered', output: 'a' }).alerts).toEqual([]);
    expect(uuids({ state: 'suppressed' }).alerts.map((x) => x.uuid)).toEqual(['u4']);
    expect(uuids({ state: 'delivered', output: 'a' }).alerts.map((x) => x.uuid)).toEqual(['u6', 'u5', 'u4', 'u2', 'u1']);
    expect(uuids({ state: 'queued' }).alerts.map((x) => x.uuid)).toEqual(['u1']);
    const first = uuids({ state: 'retrying' }, 2);
    expect([first.alerts.map((x) => x.uuid), first.next]).toEqual([['u5', 'u3'], first.alerts[1]?.seq]);
    const rest = uuids({ state: 'retrying', before: first.next as number }, 2);
    expect([rest.alerts.map((x) => x.uuid), rest.next]).toEqual([['u2'], null]);
    expect(uuids({ state: 'retrying', after: first.alerts[1]?.seq as number }).alerts.map((x) => x.uuid)).toEqual(['u5']);
    s.close();
  });

  it('gives a file made before round 20 its new indexes: a filtered page walks one, newest first, without sorting', async () => {
    const path = newPath();
    const old = new DatabaseSync(path);
    old.exec(TRAIL_SCHEMA_SQL);
    for (const column of ['rule', 'priority', 'hostname']) {
      old.exec(`DROP INDEX trail_alerts_by_${column}`);
      old.exec(`CREATE INDEX trail_alerts_${column} ON trail_alerts (${column}, received_at)`);
    }
    old.exec('DROP INDEX trail_outputs_unusual');
    old.close();
    const s = storeAt(path, { t: 1_000 });
    for (let i = 0; i < 6; i++) {
      const a = freezeAlert(toAlert({ uuid: `u${i}`, priority: i % 2 ? 'Critical' : 'Notice', rule: `r${i % 3}`, hostname: `h${i % 2}`, time: '2026-11-20T10:21:36Z', output: 'o', output_fields: {} }));
      s.received(a, 1_000 + i, '', ['a'], 100);
    }
    await s.ready();
    const check = new DatabaseSync(path);
    const indexes = check.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trail_alerts' ORDER BY name").all().map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['trail_alerts_by_hostname', 'trail_alerts_by_priority', 'trail_alerts_by_rule']));
    expect(indexes).not.toContain('trail_alerts_rule');
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trail_outputs'").all().map((r) => r.name)).toContain('trail_outputs_unusual');
    for (const where of ['rule = ?', 'priority = ?', 'hostname = ?']) {
      const plan = check.prepare(`EXPLAIN QUERY PLAN SELECT seq FROM trail_alerts WHERE ${where} ORDER BY seq DESC LIMIT 51`).all().map((r) => r.detail);
      expect(plan.join(' | ')).toMatch(/^SEARCH trail_alerts USING (COVERING )?INDEX trail_alerts_by_/);
      expect(plan.join(' | ')).not.toMatch(/TEMP B-TREE/);
    }
    check.close();
    expect(s.list({ limit: 10, rule: 'r1' }).alerts.map((x) => x.uuid)).toEqual(['u4', 'u1']);
    expect(s.list({ limit: 10, hostname: 'h1', priorities: ['Critical'] }).alerts.map((x) => x.uuid)).toEqual(['u5', 'u3', 'u1']);
    s.close();
  });

  it('merges attempts made across commits and keeps the final state', async () => {
    const now = { t: 1_000 };
    const s = open(now);
    s.received(alert('u'), 1_000, '10.0.0.1', ['a'], 100);
    s.attempt(['u'], 'a', attempt(1_100), 'retrying', 'down');
    await s.ready();
    s.attempt(['u'], 'a', attempt(1_200), 'retrying', 'down');
    await s.ready();
    s.attempt(['u'], 'a', attempt(1_300, 'ok'), 'delivered');
    await s.ready();
    const a = s.get('u')?.outputs.find((o) => o.output === 'a');
    expect(a).toMatchObject({ state: 'delivered', stateAt: 1_300, attemptCount: 3 });
    expect(a?.attempts.map((x) => x.at)).toEqual([1_100, 1_200, 1_300]);
    expect(a?.reason).toBeUndefined();
    expect(s.get('u')?.outputs.find((o) => o.output === 'b')).toMatchObject({ state: 'not_routed', reason: 'b does not take Warning' });
    s.close();
  });

  it('finds an alert by its spool id when only that is known (spool eviction)', async () => {
    const s = open({ t: 0 });
    s.received(alert('u'), 0, '', ['a'], 100, 42);
    await s.ready();
    s.stateBySpoolId(42, 'a', 'dropped', 5, 'evicted');
    await s.ready();
    expect(s.get('u')?.outputs.find((o) => o.output === 'a')).toMatchObject({ state: 'dropped', reason: 'evicted' });
    s.close();
  });

  // The writer holds a new alert one batch for its outcome; these read the file on a connection of
  // their own, without ready() (which writes everything held).
  const files = (now: { t: number }) => {
    const path = newPath();
    const s = storeAt(path, now);
    const read = (uuid: string) => {
      const reader = openTrailReader(path);
      try {
        return reader?.get(uuid);
      } finally {
        reader?.close();
      }
    };
    return { s, read };
  };

  it('holds a new alert one batch and writes it with its outcome (attempts made meanwhile included)', async () => {
    const { s, read } = files({ t: 0 });
    s.received(alert('u'), 0, '', ['a'], 100);
    s.flush(); // batch 1: held
    s.attempt(['u'], 'a', attempt(10), 'retrying', 'down');
    s.attempt(['u'], 'a', attempt(20, 'ok'), 'delivered');
    s.flush(); // batch 2: written, delivered
    await waitFor(() => read('u') !== undefined, 5000, 'the held alert written');
    expect(read('u')?.outputs.find((o) => o.output === 'a')).toMatchObject({ state: 'delivered', attemptCount: 2 });
    s.close();
  });

  it('writes a held alert within two batch periods when nothing else happens', async () => {
    const { s, read } = files({ t: 0 });
    s.received(alert('u'), 0, '', ['a'], 100);
    s.flush(); // held; the store sends a batch of its own after FLUSH_MS
    await waitFor(() => read('u') !== undefined, 5000, 'the held alert written by the follow-up batch');
    expect(read('u')?.outputs.find((o) => o.output === 'a')).toMatchObject({ state: 'queued' });
    s.close();
  });

  it('applies a state known only by spool id to a held alert', async () => {
    const { s, read } = files({ t: 0 });
    s.received(alert('u'), 0, '', ['a'], 100, 42);
    s.flush(); // held
    s.stateBySpoolId(42, 'a', 'dropped', 5, 'evicted');
    s.flush(); // written, dropped
    await waitFor(() => read('u') !== undefined, 5000, 'the held alert written');
    expect(read('u')?.outputs.find((o) => o.output === 'a')).toMatchObject({ state: 'dropped', reason: 'evicted' });
    s.close();
  });

  it('keeps what the inline writer held when the writer thread starts', async () => {
    const { s, read } = files({ t: 0 });
    s.received(alert('u'), 0, '', ['a'], 100);
    s.flush(); // held by whichever writer runs
    s.startThread(); // inline: its writer closes here
    await waitFor(() => read('u') !== undefined, 5000, 'the held alert written');
    s.close();
  });

  it('writes what it holds at close, and when a replay of the same uuid comes', async () => {
    const { s, read } = files({ t: 0 });
    s.received(alert('u'), 0, '', ['a'], 100);
    s.flush();
    s.received(alert('u'), 50, '', ['b'], 100); // a replay: the first record is written, a new one held
    s.flush();
    s.close();
    expect(s.size().alerts).toBe(2);
    const latest = read('u');
    expect(latest?.receivedAt).toBe(50);
    expect(latest?.outputs.find((o) => o.output === 'b')).toMatchObject({ state: 'queued' });
  });

  it('deletes records older than maxagems', async () => {
    const now = { t: 0 };
    const s = open(now, 1 << 30, 60_000);
    s.received(alert('old'), 0, '', ['a'], 100);
    await s.ready();
    now.t = 120_000;
    s.received(alert('new'), 120_000, '', ['a'], 100);
    await s.ready();
    expect(s.get('old')).toBeUndefined();
    expect(s.get('new')).toBeDefined();
    expect(s.list({ limit: 10, state: 'queued' }).alerts.map((x) => x.uuid)).toEqual(['new']);
    s.close();
  });

  it('deletes the oldest records beyond maxbytes', async () => {
    const now = { t: 0 };
    const s = open(now, 1024 * 1024);
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 20; i++) {
      now.t += 20_000; // each flush runs retention (every 10 s)
      s.received(alert(`u${i}`, big), now.t, '', ['a'], big.length);
      await s.ready();
    }
    const { alerts, bytes } = s.size();
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(alerts).toBeGreaterThanOrEqual(8);
    expect(alerts).toBeLessThan(20);
    expect(s.get('u19')).toBeDefined();
    expect(s.get('u0')).toBeUndefined();
    s.close();
  });
});

describe('SQLite trail store, writer thread priority', () => {
  /** Each thread of this process by name, with its nice value (/proc/self/task/<tid>/stat, field 19). */
  const threadNices = () =>
    readdirSync('/proc/self/task').map((tid) => ({
      name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(),
      nice: Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]),
    }));

  it.runIf(process.platform === 'linux')('runs the writer thread at nice 19, and nothing else of the process', async () => {
    const mainBefore = threadNices()[0]?.nice;
    const s = new SqliteTrailStore(join(mkdtempSync(join(tmpdir(), 'peregrine-trail-')), 'peregrine.db'), { maxbytes: 1 << 30, maxagems: 3_600_000, outputs: ['a'], explain, log: pino({ level: 'silent' }), now: () => 1 });
    s.startThread();
    s.received(alert('u1'), 1, '', ['a'], 100);
    await s.ready(); // the thread has started and committed: its priority is set
    const threads = threadNices();
    // Other tests' writers may still be winding down: every one there is must be at 19.
    const writers = threads.filter((t) => t.name === 'trail-writer').map((t) => t.nice);
    expect(writers.length).toBeGreaterThan(0);
    expect(new Set(writers)).toEqual(new Set([19]));
    expect(threads[0]?.nice).toBe(mainBefore);
    s.close();
  });
});

describe('SQLite trail store, writer thread behind', () => {
  it('leaves new alerts out while the writer has too much waiting, counts them, logs at most once a minute, and records again once it caught up', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'peregrine-trail-')), 'peregrine.db');
    const now = { t: 1_000 };
    const untracked: [string, number][] = [];
    const logged: { level: number; msg: string; leftOut?: number }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
    const s = new SqliteTrailStore(path, { maxbytes: 1 << 30, maxagems: 3_600_000, outputs: ['a'], explain, log, now: () => now.t, onUntracked: (reason, n) => void untracked.push([reason, n]), maxBehindBytes: 1_000 });
    s.startThread();
    s.received(alert('before'), 1_000, '', ['a'], 100);
    await s.ready();
    /** The writer stuck behind another connection's write lock, `leftOut` alerts in the meantime, then released. */
    const episode = async (n: number, leftOut: string[]) => {
      const blocker = new DatabaseSync(path);
      blocker.exec('PRAGMA busy_timeout = 5000; BEGIN IMMEDIATE');
      s.received(alert(`stuck-${n}`, 'x'.repeat(2_000)), now.t, '', ['a'], 2_000);
      s.flush(); // 2 KB of alert JSON waiting, over the 1,000 bytes allowed
      for (const uuid of leftOut) s.received(alert(uuid), now.t, '', ['a'], 100);
      s.attempt([`stuck-${n}`], 'a', attempt(now.t, 'ok'), 'delivered'); // a recorded alert's events still go
      blocker.exec('COMMIT');
      blocker.close();
      await s.ready();
      s.received(alert(`after-${n}`), now.t, '', ['a'], 100); // under half waits: recorded again
      await s.ready();
    };
    const lines = () => logged.filter((l) => l.msg.startsWith('delivery trail writer'));

    await episode(1, ['left-out-1', 'left-out-2']);
    expect(untracked).toEqual([
      ['writer_behind', 1],
      ['writer_behind', 1],
    ]);
    expect(s.get('stuck-1')?.outputs).toEqual([expect.objectContaining({ output: 'a', state: 'delivered', attemptCount: 1 })]);
    for (const uuid of ['left-out-1', 'left-out-2']) expect(s.get(uuid)).toBeUndefined();
    for (const uuid of ['before', 'after-1']) expect(s.get(uuid)).toBeDefined();
    expect(lines()).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringContaining('is behind: new alerts are left out') }),
      expect.objectContaining({ level: 30, msg: expect.stringContaining('caught up'), leftOut: 2 }),
    ]);

    now.t += 30_000; // within the minute: counted, not logged
    await episode(2, ['left-out-3']);
    expect(untracked).toHaveLength(3);
    expect(lines()).toHaveLength(2);
    expect(s.get('after-2')).toBeDefined();

    now.t += 30_000; // a minute after the first lines: logged again, the count carried over
    await episode(3, ['left-out-4']);
    expect(untracked).toHaveLength(4);
    expect(lines().slice(2)).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringContaining('is behind') }),
      expect.objectContaining({ level: 30, msg: expect.stringContaining('caught up'), leftOut: 2 }),
    ]);
    s.close();
  });
});

describe('console rate limiter', () => {
  it('allows a burst, then rate per second, per client', () => {
    let t = 0;
    const limiter = new RateLimiter(2, 4, () => t);
    expect([1, 2, 3, 4, 5].map(() => limiter.take('a'))).toEqual([true, true, true, true, false]);
    expect(limiter.take('b')).toBe(true);
    expect(limiter.retryAfter('a')).toBe(1);
    t = 500;
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });
});
