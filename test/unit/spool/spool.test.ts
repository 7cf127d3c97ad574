import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freezeAlert, toAlert } from '../../../src/alert/alert.ts';
import { serializeAlert } from '../../../src/alert/serialize.ts';
import { ConfigError } from '../../../src/errors.ts';
import type { BaseConfig } from '../../../src/config/base.ts';
import { runDlq } from '../../../src/spool/dlq-cli.ts';
import { Spool, SpoolFullError, SPOOL_FILE, type SpoolOptions, type SpoolWriterMode } from '../../../src/spool/spool.ts';
import { alert } from '../../support/worker-harness.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const open: Spool[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function spool(options: Partial<SpoolOptions> = {}, log = pino({ level: 'silent' }), writer: SpoolWriterMode = 'thread'): Spool {
  const s = Spool.open({ dir: mkdtempSync(join(tmpdir(), 'peregrine-spool-')), maxbytes: 10 * 1024 * 1024, fsync: 'normal', ...options }, log, { writer });
  open.push(s);
  return s;
}

function put(s: Spool, priority: Parameters<typeof alert>[0] = 'Warning', outputs = ['a', 'b']) {
  const a = alert(priority);
  const json = serializeAlert(a);
  return s.append(a, json, json.length, outputs, 1000);
}

describe('Spool', () => {
  it('groups concurrent appends into one commit and keeps one alert row for several outputs', async () => {
    const s = spool();
    let commits = 0;
    s.onCommit = () => commits++;
    const ids = await Promise.all([put(s), put(s), put(s)]);
    expect(new Set(ids).size).toBe(3);
    expect(commits).toBe(1);
    expect(s.backlog()).toEqual({ a: 3, b: 3 });
    expect(s.pending('a').map((p) => p.id)).toEqual(ids);
  });

  it.each<SpoolWriterMode>(['inline', 'thread'])('commits a delivery done with the next new alert, or on its own after 100 ms (%s)', async (writer) => {
    const clock = new FakeClock();
    const s = Spool.open({ dir: mkdtempSync(join(tmpdir(), 'peregrine-spool-')), maxbytes: 1 << 24, fsync: 'normal' }, pino({ level: 'silent' }), { writer, clock });
    open.push(s);
    let commits = 0;
    s.onCommit = () => commits++;
    const first = await put(s, 'Warning', ['a']);
    expect(commits).toBe(1);
    s.complete('a', first);
    await put(s, 'Warning', ['a']);
    expect(commits).toBe(2); // one commit: the second alert and the first one's delivery
    const [second] = s.pending('a');
    expect(second?.id).not.toBe(first);
    s.complete('a', second?.id as number);
    await clock.advance(99);
    expect(commits).toBe(2); // still waiting for an alert to go with
    await clock.advance(1);
    await vi.waitFor(() => expect(commits).toBe(3)); // the writer thread answers asynchronously
    expect(s.bytes).toBe(0);
  });

  it('removes an alert once every output has it, and reclaims its bytes', async () => {
    const s = spool();
    const id = await put(s);
    const bytes = s.bytes;
    expect(bytes).toBeGreaterThan(100);
    s.complete('a', id);
    s.flush();
    expect(s.bytes).toBe(bytes);
    s.complete('b', id);
    s.flush();
    expect(s.bytes).toBe(0);
    expect(s.backlog()).toEqual({});
  });

  it('in one commit, removes the alerts whose last delivery it forgets and keeps the others', async () => {
    const s = spool();
    const done = await put(s);
    const doneBytes = s.bytes;
    const [half, kept] = await Promise.all([put(s), put(s)]);
    const total = s.bytes;
    s.complete('a', done);
    s.complete('b', done);
    s.complete('b', half as number);
    s.flush();
    expect(s.bytes).toBe(total - doneBytes);
    expect(s.backlog()).toEqual({ a: 2, b: 1 });
    expect(s.pending('a').map((p) => p.id)).toEqual([half, kept]);
    expect(s.pending('b').map((p) => p.id)).toEqual([kept]);
  });

  it('keeps attempts and next-retry time across a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    const first = Spool.open({ dir, maxbytes: 1 << 24, fsync: 'full' }, pino({ level: 'silent' }));
    const id = await put(first, 'Error', ['a']);
    first.reschedule('a', id, 3, 5000);
    first.close();
    const again = spool({ dir });
    expect(again.pending('a')).toMatchObject([{ id, attempts: 3, nextAt: 5000, receivedAt: 1000 }]);
    expect(again.pending('a')[0]?.json).toContain('"priority":"Error"');
  });

  it('when full, evicts the newest lowest-priority alert, and refuses a new one that is not higher', async () => {
    const s = spool({ maxbytes: 1024 * 1024 });
    const evicted: number[] = [];
    s.onEvict = (id) => evicted.push(id);
    const big = (priority: Parameters<typeof alert>[0]) => {
      const a = alert(priority);
      return s.append(a, serializeAlert(a), 400 * 1024, ['a'], 0);
    };
    const debug1 = await big('Debug');
    const debug2 = await big('Debug');
    await big('Critical');
    expect(evicted).toEqual([debug2]);
    await big('Critical');
    expect(evicted).toEqual([debug2, debug1]);
    await expect(big('Notice')).rejects.toBeInstanceOf(SpoolFullError);
  });

  it('moves a corrupt file aside, starts fresh and says so loudly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    writeFileSync(join(dir, SPOOL_FILE), 'this is not a sqlite database, it is garbage'.repeat(100));
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
    const s = spool({ dir }, log);
    expect(s.backlog()).toEqual({});
    expect(readdirSync(dir).some((f) => f.startsWith(`${SPOOL_FILE}.corrupt-`))).toBe(true);
    expect(lines.join('')).toContain('SPOOL CORRUPT');
  });

  it('never renames a spool it cannot open: a startup error says what is wrong and how to fix it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    mkdirSync(join(dir, SPOOL_FILE)); // cannot be opened as a file: SQLITE_CANTOPEN, not corruption
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
    let error: unknown;
    try {
      spool({ dir }, log);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problem = (error as ConfigError).problems[0];
    expect(problem).toMatchObject({ path: 'spool.dir', env: 'SPOOL_DIR' });
    expect(problem?.message).toMatch(/cannot open the spool .*unable to open database file.* as uid \d+ gid \d+/);
    expect(problem?.message).toMatch(/Nothing was moved or deleted.*chown -R/);
    expect(readdirSync(dir).filter((f) => !f.startsWith('peregrine.lock'))).toEqual([SPOOL_FILE]); // the folder lock's files aside
    expect(lines.join('')).not.toContain('SPOOL CORRUPT');
  });

  // The case from the field: the falcosidekick chart's pods ran as uid 1234, Peregrine's as another.
  it.skipIf(process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv'))('as another uid, a spool owned by someone else is refused, not moved aside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    spool({ dir }).close();
    open.pop();
    chmodSync(dir, 0o755);
    chmodSync(join(dir, SPOOL_FILE), 0o600);
    const script = `import { Spool } from ${JSON.stringify(join(import.meta.dirname, '../../../src/spool/spool.ts'))};
const log = { error() {}, warn() {}, info() {}, debug() {}, child() { return log; } };
try { Spool.open({ dir: ${JSON.stringify(dir)}, maxbytes: 1048576, fsync: 'normal' }, log); console.log('OPENED'); }
catch (err) { console.log(err.problems?.[0]?.message ?? err.message); }`;
    const file = join(dir, 'open.mts');
    writeFileSync(file, script);
    chmodSync(file, 0o644);
    const res = spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, file], {
      encoding: 'utf8',
      cwd: join(import.meta.dirname, '../../..'),
    });
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/cannot open the spool .* as uid 65534 gid 65534; .* is owned by uid 0/);
    expect(res.stdout).not.toContain('OPENED');
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
  });

  it('stores, lists, replays and purges dead letters', async () => {
    const s = spool();
    const id = await put(s, 'Critical', ['a']);
    const a = alert('Critical');
    s.deadLetter('a', id, a, serializeAlert(a), 'rejected', 'HTTP 400', 1, 2000);
    expect(s.backlog()).toEqual({});
    expect(s.deadLetters({ output: 'a' })).toMatchObject([{ output: 'a', reason: 'rejected', detail: 'HTTP 400' }]);
    expect(s.replayDeadLetters({ output: 'a' })).toHaveLength(1);
    expect(s.deadLetterCount()).toBe(0);
    expect(s.pending('a')).toHaveLength(1);
    s.deadLetter('a', undefined, a, serializeAlert(a), 'rejected', 'again', 1, 3000);
    expect(s.purgeDeadLetters({})).toBe(1);
  });

  it('lists dead letters by output and by rule, newest first, a page at a time; a rule with quotes and wildcards matches exactly', () => {
    const s = spool();
    const rule = 'shell "x" 100%_done';
    const dead = (output: string, r: string, fields: Record<string, string> = {}) => {
      const a = freezeAlert(toAlert({ priority: 'Warning', rule: r, time: '2026-11-20T10:21:36Z', output_fields: fields }));
      return s.deadLetter(output, undefined, a, serializeAlert(a), 'rejected', 'HTTP 400', 1, 2000);
    };
    const ids = [dead('a', rule), dead('b', rule), dead('a', 'other', { rule }), dead('a', rule), dead('a', 'shell "x" 1000done')];
    const page = (filter: Parameters<Spool['deadLetters']>[0]) => s.deadLetters(filter).map((d) => Number(d.id));
    expect(page({ output: 'a', limit: 2 })).toEqual([ids[3], ids[4]]); // the newest two, oldest first
    expect(page({ output: 'a', limit: 2, before: ids[3] })).toEqual([ids[0], ids[2]]);
    expect(page({ rule })).toEqual([ids[0], ids[1], ids[3]]); // not the one whose output_fields hold it
    expect(page({ rule, output: 'b' })).toEqual([ids[1]]);
    expect(page({ rule: 'shell "x" 1000_done' })).toEqual([]);
    expect(page({ rule: 'SHELL "x" 100%_done' })).toEqual([]); // exact, as before
  });

  it('gives a spool file made before round 20 its dead-letter index by output alone: a page walks it, newest first, without sorting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    Spool.open({ dir, maxbytes: 10 * 1024 * 1024, fsync: 'normal' }, pino({ level: 'silent' }), { writer: 'thread' }).close();
    const old = new DatabaseSync(join(dir, SPOOL_FILE));
    old.exec('DROP INDEX dead_letters_by_output; CREATE INDEX dead_letters_output ON dead_letters (output, at)');
    old.close();
    open.push(Spool.open({ dir, maxbytes: 10 * 1024 * 1024, fsync: 'normal' }, pino({ level: 'silent' }), { writer: 'thread' }));
    const check = new DatabaseSync(join(dir, SPOOL_FILE));
    const indexes = check.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dead_letters'").all().map((r) => r.name);
    const plan = check.prepare("EXPLAIN QUERY PLAN SELECT id FROM dead_letters WHERE output = ? ORDER BY id DESC LIMIT 100").all().map((r) => r.detail);
    check.close();
    expect(indexes).toEqual(['dead_letters_by_output']);
    expect(plan.join(' | ')).toMatch(/^SEARCH dead_letters USING (COVERING )?INDEX dead_letters_by_output/);
    expect(plan.join(' | ')).not.toMatch(/TEMP B-TREE/);
  });

  it('answers an append only once the writer thread committed it: another connection reads the row', async () => {
    const s = spool();
    const id = await put(s, 'Error', ['a']);
    const reader = new DatabaseSync(s.path, { readOnly: true });
    try {
      expect(reader.prepare('SELECT d.output, a.uuid FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.id = ?').all(id)).toEqual([{ output: 'a', uuid: expect.any(String) }]);
    } finally {
      reader.close();
    }
  });

  it('keeps ids and bytes right when the writer thread and the spool connection both write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    const inProcess = Spool.open({ dir, maxbytes: 1 << 24, fsync: 'normal' }, pino({ level: 'silent' }), { writer: 'inline' });
    const first = await put(inProcess, 'Error', ['a']);
    inProcess.close();
    const s = spool({ dir });
    const [second, third] = await Promise.all([put(s, 'Error', ['a', 'b']), put(s, 'Error', ['a'])]);
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second as number);
    const a = alert('Error');
    // Dead-lettered here (the spool's connection) while the thread has deliveries done to write.
    s.complete('b', second as number);
    s.deadLetter('a', second as number, a, serializeAlert(a), 'rejected', 'HTTP 400', 1, 2000);
    s.complete('a', first);
    s.complete('a', third as number);
    s.flush();
    expect(s.bytes).toBe(0);
    expect(s.backlog()).toEqual({});
    const [replayed] = s.replayDeadLetters({});
    expect(replayed?.id).toBeGreaterThan(third as number);
    expect(await put(s, 'Error', ['a'])).toBeGreaterThan(replayed?.id as number);
  });

  it('auto: commits in the caller one alert at a time, on the writer thread once concurrent alerts share commits that take a share of its event loop', async () => {
    const lines: string[] = [];
    const s = spool({}, pino({ level: 'info' }, { write: (l: string) => lines.push(l) }), 'auto');
    let one = 0;
    const started = performance.now();
    // One request at a time, as one Falco sends: however long the commits take, they stay here.
    while (performance.now() - started < 300) one = await put(s, 'Error', ['a']);
    expect(lines.join('')).not.toContain('writer thread');
    expect(one).toBeGreaterThan(1);
    let last = 0;
    for (let round = 0; round < 200 && !lines.join('').includes('writer thread'); round++) {
      last = Math.max(...(await Promise.all(Array.from({ length: 200 }, () => put(s, 'Error', ['a'])))));
    }
    expect(lines.join('')).toContain('spool commits moved to the writer thread');
    const next = await put(s, 'Error', ['a']);
    expect(next).toBe(last + 1);
    expect(s.backlog()).toEqual({ a: next });
    expect(next).toBeGreaterThan(one);
  });
});

describe('Spool loss check', () => {
  it('a spool from before the stored count (its mark holds an id) raises no false alarm, and is checked from then on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    const first = Spool.open({ dir, maxbytes: 1 << 24, fsync: 'normal' }, pino({ level: 'silent' }), { writer: 'inline' });
    await put(first, 'Error', ['a']);
    first.close();
    const db = new DatabaseSync(join(dir, SPOOL_FILE));
    db.exec("DELETE FROM meta WHERE key = 'stored'");
    db.close();
    writeFileSync(join(dir, `${SPOOL_FILE}-acked`), '500'.padEnd(20, ' ')); // an old version's highest id
    const upgraded = Spool.open({ dir, maxbytes: 1 << 24, fsync: 'normal' }, pino({ level: 'silent' }), { writer: 'inline' });
    expect(upgraded.lostAtOpen).toBe(0);
    await put(upgraded, 'Error', ['a']);
    upgraded.close();
    writeFileSync(join(dir, `${SPOOL_FILE}-acked`), '3'.padEnd(20, ' ')); // the mark says 3 stored, the database 1 (counted from the upgrade)
    const again = spool({ dir });
    expect(again.lostAtOpen).toBe(2);
  });
});

describe('Spool intake log (one request at a time)', () => {
  const dirFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith(`${SPOOL_FILE}-intake-`));

  function intakeSpool(dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-')), log = pino({ level: 'silent' }), maxbytes = 1 << 24) {
    const clock = new FakeClock();
    const s = Spool.open({ dir, maxbytes, fsync: 'normal' }, log, { writer: 'auto', clock, intake: true });
    open.push(s);
    return { s, clock, dir };
  }

  /** The spool's files as a kill -9 would leave them: copied while it is open, into a new folder. */
  const crashCopy = (dir: string) => {
    const copy = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    for (const f of readdirSync(dir).filter((f) => f.startsWith(SPOOL_FILE))) cpSync(join(dir, f), join(copy, f));
    return copy;
  };

  const rows = (path: string) => {
    const reader = new DatabaseSync(path, { readOnly: true });
    try {
      return reader.prepare('SELECT d.output, d.alert_id AS id FROM deliveries d ORDER BY d.alert_id, d.output').all();
    } finally {
      reader.close();
    }
  };

  it('answers without a commit; 100 ms later spills only what an output still needs, and deletes the log', async () => {
    const { s, clock, dir } = intakeSpool();
    let commits = 0;
    s.onCommit = () => commits++;
    const both = await put(s, 'Error', ['a', 'b']);
    const one = await put(s, 'Error', ['a']);
    expect(commits).toBe(0);
    expect(dirFiles(dir)).toHaveLength(1);
    expect(s.json(both)).toContain('"priority":"Error"'); // read back from memory: not in SQLite yet
    expect(s.bytes).toBeGreaterThan(0);
    s.complete('a', one); // delivered everywhere before the spill: never written to SQLite
    s.complete('a', both);
    await clock.advance(99);
    expect(commits).toBe(0);
    await clock.advance(1);
    expect(commits).toBe(1);
    expect(rows(s.path)).toEqual([{ output: 'b', id: both }]);
    expect(dirFiles(dir)).toEqual([]);
    s.complete('b', both);
    s.flush();
    expect(rows(s.path)).toEqual([]);
    expect(s.bytes).toBe(0);
  });

  it('an alert delivered everywhere before the spill costs no commit at all; its log segment goes', async () => {
    const { s, clock, dir } = intakeSpool();
    let commits = 0;
    s.onCommit = () => commits++;
    for (let i = 0; i < 5; i++) s.complete('a', await put(s, 'Error', ['a']));
    await clock.advance(100);
    expect(commits).toBe(0);
    expect(dirFiles(dir)).toEqual([]);
    expect(s.bytes).toBe(0);
  });

  it('after a crash (the files as they were, the process gone), the next start puts what the log held into SQLite', async () => {
    const { s, dir } = intakeSpool();
    const kept = await put(s, 'Critical', ['a', 'b']);
    const done = await put(s, 'Notice', ['a']);
    s.complete('a', kept); // still needed by b
    const copy = crashCopy(dir);
    expect(dirFiles(copy)).toHaveLength(1);
    const lines: string[] = [];
    const { s: again } = intakeSpool(copy, pino({ level: 'info' }, { write: (l: string) => lines.push(l) }));
    // Both, with every output they were routed to: what was done before the crash is sent again (at least once).
    expect(again.pending('a').map((p) => p.id)).toEqual([kept, done]);
    expect(again.pending('b').map((p) => p.id)).toEqual([kept]);
    expect(again.pending('b')[0]?.json).toContain('"priority":"Critical"');
    expect(again.lostAtOpen).toBe(0);
    expect(lines.join('')).toContain('alerts answered from the intake log before the last stop are now in the spool');
    expect(dirFiles(copy)).toEqual([]);
    expect(await put(again, 'Error', ['a'])).toBeGreaterThan(done);
  });

  it('a record cut short by the crash was never answered: the ones before it are replayed', async () => {
    const { s, dir } = intakeSpool();
    const first = await put(s, 'Error', ['a']);
    const copy = crashCopy(dir);
    const [segment] = dirFiles(copy);
    appendFileSync(join(copy, segment as string), '[99,"cut-short",4,0,10,["a"],500]\t{"output":"half a rec');
    const { s: again } = intakeSpool(copy);
    expect(again.pending('a').map((p) => p.id)).toEqual([first]);
  });

  it('an alert that does not fit under maxbytes goes through a commit that evicts or refuses, as before', async () => {
    const { s } = intakeSpool(undefined, undefined, 1024 * 1024);
    const evicted: number[] = [];
    s.onEvict = (id) => evicted.push(id);
    let commits = 0;
    s.onCommit = () => commits++;
    const big = (priority: Parameters<typeof alert>[0]) => {
      const a = alert(priority);
      return s.append(a, serializeAlert(a), 400 * 1024, ['a'], 0);
    };
    const debug1 = await big('Debug');
    const debug2 = await big('Debug');
    expect(commits).toBe(0);
    await big('Critical'); // 1.2 MiB: spills the two, evicts the newer Debug, commits the Critical
    expect(commits).toBe(1);
    expect(evicted).toEqual([debug2]);
    await big('Critical');
    expect(evicted).toEqual([debug2, debug1]);
    await expect(big('Notice')).rejects.toBeInstanceOf(SpoolFullError);
  });

  it('a dead letter of an alert not spilled yet leaves nothing behind in SQLite', async () => {
    const { s } = intakeSpool();
    const id = await put(s, 'Critical', ['a']);
    const a = alert('Critical');
    s.deadLetter('a', id, a, serializeAlert(a), 'rejected', 'HTTP 400', 1, 2000);
    expect(s.backlog()).toEqual({});
    expect(s.deadLetters({ output: 'a' })).toHaveLength(1);
    expect(s.bytes).toBe(0);
  });

  it('auto: concurrent requests move the commits to the writer thread, the log spilled first', async () => {
    const lines: string[] = [];
    const { s, dir } = intakeSpool(undefined, pino({ level: 'info' }, { write: (l: string) => lines.push(l) }));
    const first = await put(s, 'Error', ['a']);
    expect(dirFiles(dir)).toHaveLength(1);
    let last = first;
    for (let round = 0; round < 100 && !lines.join('').includes('writer thread'); round++) {
      last = Math.max(...(await Promise.all(Array.from({ length: 8 }, () => put(s, 'Error', ['a'])))));
    }
    expect(lines.join('')).toContain('spool commits moved to the writer thread (concurrent requests)');
    const next = await put(s, 'Error', ['a']);
    expect(next).toBe(last + 1);
    expect(s.backlog()).toEqual({ a: next });
    expect(dirFiles(dir)).toEqual([]);
  });
});

describe('peregrine dlq replay beside a running daemon', () => {
  it('is refused: its new spool ids would be the ones the daemon gives its next alerts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    const daemon = spool({ dir }, undefined, 'auto');
    const id = await put(daemon, 'Error', ['a']);
    const a = alert('Error');
    daemon.deadLetter('a', id, a, serializeAlert(a), 'rejected', 'HTTP 400', 1, 2000);
    const config = { spool: { enabled: true, dir, maxbytes: 1 << 24, fsync: 'normal' } } as unknown as BaseConfig;
    const lines: string[] = [];
    expect(runDlq(['replay'], config, { out: (l) => lines.push(l), err: (l) => lines.push(l) })).toBe(1);
    expect(lines.join('\n')).toMatch(/a Peregrine daemon is running on this spool .*console\.enabled and console\.token.*or stop it/);
    expect(daemon.deadLetterCount()).toBe(1);
    // The daemon's commits go on with their own ids.
    expect(await put(daemon, 'Error', ['a'])).toBeGreaterThan(id);
    expect(daemon.health.snapshot().state).toBe('ok');
    // Stopped, the replay works (and the daemon sends it at its next start).
    daemon.close();
    open.pop();
    expect(runDlq(['replay'], config, { out: (l) => lines.push(l), err: (l) => lines.push(l) })).toBe(0);
    expect(lines.at(-1)).toMatch(/^1 dead letter\(s\) put back/);
  });
});
