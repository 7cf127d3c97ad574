// Builds the trail for an app: its store (memory with the spool off, a SQLite file in spool.dir
// with it on, none with trail.enabled false) and the activity counters the console shows. Undefined when
// neither the trail nor the console is on: then the hot path calls nothing.
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../dispatch/clock.ts';
import { errorMessage } from '../dispatch/errors.ts';
import type { Spool } from '../spool/spool.ts';
import { Activity } from './activity.ts';
import type { trailSchema } from './config.ts';
import { MemoryTrailStore } from './memory-store.ts';
import { Trail, type TrailFailure } from './recorder.ts';
import { SqliteTrailStore, type UntrackedReason } from './sqlite-store.ts';
import { explainer, type RouteFilter } from './types.ts';
import type { z } from 'zod';

/**
 * The trail's own SQLite file beside the spool's: SQLite has one writer per file, and the trail's
 * writer thread holding that lock made the spool's commits fail (SQLITE_BUSY: alerts refused 503).
 * A file of its own has a lock of its own.
 */
const TRAIL_FILE = 'peregrine-trail.db';

export function trailPath(spoolDir: string): string {
  return join(spoolDir, TRAIL_FILE);
}

export interface TrailSetup {
  config: z.output<typeof trailSchema>;
  consoleEnabled: boolean;
  /** The running outputs and their filters, live: a config reload rewrites both in place. */
  outputs: readonly string[];
  filters: ReadonlyMap<string, RouteFilter>;
  spool: Spool | undefined;
  clock: Clock;
  log: Logger;
  /** Counts alerts that get no trail (the SQLite store's writer behind or failing). */
  onUntracked?: (reason: UntrackedReason, alerts: number) => void;
}

export function createTrail(setup: TrailSetup): Trail | undefined {
  const { config, outputs, filters, spool, clock, log } = setup;
  // Why an output did not take an alert, by its filter now: the SQLite store writes it when the alert
  // arrives; the memory store keeps the filters of each alert's config and asks them when read.
  const explain = explainer(filters);
  if (!config.enabled && !setup.consoleEnabled) return undefined;
  let store: MemoryTrailStore | SqliteTrailStore | undefined;
  if (config.enabled && spool) {
    const path = trailPath(dirname(spool.path));
    try {
      store = new SqliteTrailStore(path, { maxbytes: config.maxbytes, maxagems: config.maxagems, outputs, explain, log, now: () => clock.now(), ...(setup.onUntracked ? { onUntracked: setup.onUntracked } : {}) });
    } catch (err) {
      // The trail is history: a damaged trail file must not keep alerts from being delivered.
      log.error({ err: (err as Error).message, path }, 'cannot open the delivery trail file: keeping the trail in memory (move the file aside to start a fresh one)');
    }
  }
  if (config.enabled && !store) {
    store = new MemoryTrailStore({ maxalerts: config.maxalerts, maxbytes: config.memorymaxbytes, outputs, explain, filters });
  }
  return new Trail(store, new Activity(), clock, reportFailures(log, clock, setup.onUntracked));
}

/** Failures to record alerts counted as untracked (write_failed), and logged at most once a minute with the count since. */
function reportFailures(log: Logger, clock: Clock, onUntracked: TrailSetup['onUntracked']): TrailFailure {
  let loggedAt = -Infinity;
  let since = 0;
  return (err, alerts) => {
    onUntracked?.('write_failed', alerts);
    since += alerts;
    if (clock.now() - loggedAt < 60_000) return;
    loggedAt = clock.now();
    log.error({ err: errorMessage(err), alerts: since }, 'the delivery trail could not record these alerts (their delivery goes on); see peregrine_trail_untracked_alerts_total');
    since = 0;
  };
}
