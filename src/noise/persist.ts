// Noise-control state in the spool's SQLite (when the spool is on), committed with the spool's
// batches: a leading-edge alert and the window it opened land in the same commit, and so do a
// summary and the end of its window. After a restart nothing already paged pages again, a window
// still open keeps counting, one that ended meanwhile is summarised at once, and API silences are back.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Logger } from 'pino';
import { serializeAlert, thawAlert } from '../alert/serialize.ts';
import type { Spool } from '../spool/spool.ts';
import type { NoiseControl } from './noise.ts';
import type { OutputNoise } from './output-noise.ts';
import type { RateEntry } from './rate-limit.ts';
import type { Silence } from './silences.ts';
import type { WindowState } from './window.ts';

const TABLES = `
CREATE TABLE IF NOT EXISTS noise_windows (
  output TEXT NOT NULL, key TEXT NOT NULL,
  start INTEGER NOT NULL, end_at INTEGER NOT NULL,
  first TEXT NOT NULL,             -- the alert that opened the window (JSON)
  state TEXT NOT NULL,             -- counts, last seen, top priority, samples (JSON)
  PRIMARY KEY (output, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS noise_rates (
  output TEXT NOT NULL, key TEXT NOT NULL, start INTEGER NOT NULL, sent INTEGER NOT NULL,
  PRIMARY KEY (output, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS noise_silences (id TEXT PRIMARY KEY, silence TEXT NOT NULL);
`;

type Counts = Pick<WindowState, 'seen' | 'suppressed' | 'lastSeen' | 'topRank' | 'samples' | 'truncated'>;
const counts = (w: WindowState): string =>
  JSON.stringify({ seen: w.seen, suppressed: w.suppressed, lastSeen: w.lastSeen, topRank: w.topRank, samples: w.samples, truncated: w.truncated } satisfies Counts);

export function persistNoise(noise: NoiseControl, spool: Spool, now: number, log: Logger): void {
  // Latest state per row; undefined = delete. Written by the spool's next commit.
  const windows = new Map<string, [string, string, WindowState | undefined]>();
  const rates = new Map<string, [string, string, RateEntry | undefined]>();
  const silences = new Map<string, Silence | undefined>();
  // Windows whose `first` is on disk already: later writes update the counts only.
  const written = new WeakSet<WindowState>();
  let sql: Record<string, StatementSync> = {};

  spool.attach((db: DatabaseSync) => {
    db.exec(TABLES);
    sql = {
      insertWindow: db.prepare('INSERT OR REPLACE INTO noise_windows(output, key, start, end_at, first, state) VALUES (?, ?, ?, ?, ?, ?)'),
      updateWindow: db.prepare('UPDATE noise_windows SET state = ? WHERE output = ? AND key = ?'),
      deleteWindow: db.prepare('DELETE FROM noise_windows WHERE output = ? AND key = ?'),
      upsertRate: db.prepare('INSERT OR REPLACE INTO noise_rates(output, key, start, sent) VALUES (?, ?, ?, ?)'),
      deleteRate: db.prepare('DELETE FROM noise_rates WHERE output = ? AND key = ?'),
      upsertSilence: db.prepare('INSERT OR REPLACE INTO noise_silences(id, silence) VALUES (?, ?)'),
      deleteSilence: db.prepare('DELETE FROM noise_silences WHERE id = ?'),
      windows: db.prepare('SELECT output, key, start, end_at AS endAt, first, state FROM noise_windows ORDER BY start'),
      rates: db.prepare('SELECT output, key, start, sent FROM noise_rates ORDER BY start'),
      silences: db.prepare('SELECT silence FROM noise_silences'),
    };
    return {
      dirty: () => windows.size > 0 || rates.size > 0 || silences.size > 0,
      write() {
        for (const [output, key, w] of windows.values()) {
          if (!w) sql.deleteWindow?.run(output, key);
          else if (written.has(w)) sql.updateWindow?.run(counts(w), output, key);
          else {
            sql.insertWindow?.run(output, key, w.start, w.end, serializeAlert(w.first), counts(w));
            written.add(w);
          }
        }
        for (const [output, key, e] of rates.values()) {
          if (e) sql.upsertRate?.run(output, key, e.start, e.sent);
          else sql.deleteRate?.run(output, key);
        }
        for (const [id, s] of silences) {
          if (s) sql.upsertSilence?.run(id, JSON.stringify(s));
          else sql.deleteSilence?.run(id);
        }
        windows.clear();
        rates.clear();
        silences.clear();
      },
    };
  });

  const changed = () => spool.requestFlush();
  const journal = (output: string, o: OutputNoise) => {
    if (o.memory) o.memory.journal = { window: (key, w) => (windows.set(`${output}\u0000${key}`, [output, key, w]), changed()) };
    if (o.rate) o.rate.journal = { rate: (key, e) => (rates.set(`${output}\u0000${key}`, [output, key, e && { ...e }]), changed()) };
  };
  for (const [output, o] of noise.outputs) journal(output, o);
  noise.onOutput = journal; // outputs a config reload adds or changes
  noise.silences.journal = {
    saved: (s) => (silences.set(s.id, s), changed()),
    removed: (id) => (silences.set(id, undefined), changed()),
  };

  // Restore, oldest window first (each output's map keeps window start order).
  let restored = 0;
  let ended = 0;
  // Output → [windows, alerts held back in them]: windows of outputs that are gone.
  const orphaned = new Map<string, [number, number]>();
  for (const row of sql.windows?.all() as { output: string; key: string; start: number; endAt: number; first: string; state: string }[]) {
    const w: WindowState = { key: row.key, start: Number(row.start), end: Number(row.endAt), first: thawAlert(row.first), ...(JSON.parse(row.state) as Counts) };
    const memory = noise.outputs.get(row.output)?.memory;
    if (memory) {
      written.add(w);
      memory.restore(w, now);
      restored++;
      continue;
    }
    // The output no longer dedupes in memory (dedupe off, rate limit only, store: redis): its window
    // ends now, as a hot reload with the same change ends it, in its summary. Then the row goes.
    if (noise.endRestored(row.output, w)) ended++;
    else {
      const [n, held] = orphaned.get(row.output) ?? [0, 0];
      orphaned.set(row.output, [n + 1, held + w.suppressed]);
    }
    windows.set(`${row.output}\u0000${row.key}`, [row.output, row.key, undefined]);
  }
  // A row whose period is over, or whose output no longer rate-limits, goes.
  for (const row of sql.rates?.all() as { output: string; key: string; start: number; sent: number }[]) {
    const rate = noise.outputs.get(row.output)?.rate;
    if (!rate?.restore(row.key, { start: Number(row.start), sent: Number(row.sent) }, now)) rates.set(`${row.output}\u0000${row.key}`, [row.output, row.key, undefined]);
  }
  for (const row of sql.silences?.all() as { silence: string }[]) {
    const s = JSON.parse(row.silence) as Silence;
    if (s.until <= now) silences.set(s.id, undefined);
    else if (Number.isNaN(new Date(s.until).getTime())) {
      // Saved before `for` was bounded (365 days): an end no date can hold; it would break every listing.
      log.warn({ id: s.id, reason: s.reason }, 'a run-time silence in the spool ends past any valid date: dropped; add it again with a for of at most 365d or an until');
      silences.set(s.id, undefined);
    } else noise.silences.add(s, ['silences', s.id, 'match']);
  }
  if (restored > 0) log.info({ windows: restored }, 'dedupe windows restored from the spool');
  if (ended > 0) log.info({ windows: ended }, 'dedupe windows restored from the spool ended at start: their outputs no longer dedupe in memory (summaries sent)');
  for (const [output, [n, held]] of orphaned) {
    log.warn(
      { output, windows: n, suppressed: held },
      `${n} open dedupe window(s) of output "${output}" were in the spool but that output is no longer configured: their summaries (${held} held-back alert(s)) are not sent`,
    );
  }
  if (windows.size || rates.size || silences.size) changed();
}
