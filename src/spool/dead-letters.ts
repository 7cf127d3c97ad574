// The dead-letter store kept in the spool, so refused alerts survive restarts and can be replayed.
import type { DeadLetter, DeadLetterFilter, DeadLetterReason, DeadLetterStore, NewDeadLetter, ReplayedAlert } from '../dispatch/dead-letter.ts';
import type { Alert } from '../alert/alert.ts';
import { alertBytes, parseAlert, serializeAlert, thawAlert } from '../alert/serialize.ts';
import type { Spool, StoredDeadLetter } from './spool.ts';

/** The alert of a dead letter; one whose text no longer parses is shown as its uuid and text (cut at 4 KiB). */
function alertOf(row: StoredDeadLetter): Alert {
  try {
    return parseAlert(row.json);
  } catch {
    return { uuid: row.uuid, rule: '(unreadable spool row)', priority: 'Debug', unreadable: row.json.slice(0, 4096) } as unknown as Alert;
  }
}

export function toDeadLetter(row: StoredDeadLetter): DeadLetter {
  return {
    id: Number(row.id),
    output: row.output,
    alert: alertOf(row),
    reason: row.reason as DeadLetterReason,
    detail: row.detail,
    attempts: Number(row.attempts),
    at: Number(row.at),
  };
}

export class SpoolDeadLetterStore implements DeadLetterStore {
  private readonly spool: Spool;

  constructor(spool: Spool) {
    this.spool = spool;
  }

  add(entry: NewDeadLetter): DeadLetter {
    const json = serializeAlert(entry.alert);
    let id = 0;
    try {
      id = this.spool.deadLetter(entry.output, entry.spoolId, entry.alert, json, entry.reason, entry.detail, entry.attempts, entry.at);
    } catch (err) {
      // The disk is full or failing: the transaction rolled back, so the delivery is still pending in
      // the spool and is sent again after the next start (id 0: not stored as a dead letter).
      this.spool.health.failed('deadletter', err, 'the alert stays pending in the spool and is sent again after the next start');
    }
    return { id, output: entry.output, alert: entry.alert, reason: entry.reason, detail: entry.detail, attempts: entry.attempts, at: entry.at };
  }

  list(filter: DeadLetterFilter = {}): DeadLetter[] {
    return this.spool.deadLetters(filter).map(toDeadLetter);
  }

  size(): number {
    return this.spool.deadLetterCount();
  }

  replay(filter: DeadLetterFilter): ReplayedAlert[] {
    return this.spool.replayDeadLetters(rowFilter(filter)).map((r) => ({ output: r.output, alert: thawAlert(r.json), bytes: alertBytes(r.json), spoolId: r.id }));
  }

  purge(filter: DeadLetterFilter): number {
    return this.spool.purgeDeadLetters(rowFilter(filter));
  }
}

function rowFilter({ limit: _limit, ...filter }: DeadLetterFilter): DeadLetterFilter {
  return filter;
}
