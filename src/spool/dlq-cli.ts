// `peregrine dlq list|show|replay|purge`: the dead-letter store of the spool, for operators.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { parseCommand, positiveInteger, type Say } from '../cli-args.ts';
import type { BaseConfig } from '../config/base.ts';
import { toDeadLetter } from './dead-letters.ts';
import { SpoolInUseError } from './dir-lock.ts';
import { Spool, SPOOL_FILE } from './spool.ts';

const DLQ_USAGE = `Usage: peregrine dlq <list|show|replay|purge> [-c FILE] [--output NAME] [--rule RULE] [--since TIME] [--id ID] [--limit N]

  list     dead letters (newest last): id, time, output, reason, rule, detail
  show     one dead letter in full (--id), the alert JSON included
  replay   put dead letters back in their output's queue (filters: --output, --rule, --since, --id;
           all when none). With the console on (console.enabled, console.token), a running daemon
           sends them right away; otherwise only with the daemon stopped, and they are sent at its
           next start
  purge    delete dead letters (same filters; all when none)`;

/** The options of every `dlq` command (the running daemon's path reads them too: console/dlq-remote.ts). */
export const DLQ_OPTIONS = {
  config: { type: 'string', short: 'c' },
  output: { type: 'string' },
  rule: { type: 'string' },
  since: { type: 'string' },
  id: { type: 'string' },
  limit: { type: 'string' },
} as const;

/**
 * `outputs`: the outputs the config runs; a replay puts back only their dead letters (another's
 * would come back at the next start as output_removed) and says how many it left.
 */
export function runDlq(argv: string[], config: BaseConfig, say: Say, outputs?: readonly string[]): number {
  const { values, positionals } = parseCommand(argv, DLQ_OPTIONS);
  const command = positionals[0];
  if (command === undefined || !['list', 'show', 'replay', 'purge'].includes(command)) {
    say.err(DLQ_USAGE);
    return 2;
  }
  if (!config.spool.enabled) {
    say.err('the dead-letter store is persisted only with spool.enabled: true (this config has the spool off)');
    return 1;
  }
  const since = values.since === undefined ? undefined : Date.parse(values.since);
  if (since !== undefined && Number.isNaN(since)) {
    say.err(`--since "${values.since}" is not a time; use ISO 8601, e.g. 2026-11-20T00:00:00Z`);
    return 2;
  }
  const id = positiveInteger('id', values.id);
  const limit = positiveInteger('limit', values.limit) ?? 1000;
  const filter = { ...(values.output ? { output: values.output } : {}), ...(values.rule ? { rule: values.rule } : {}), ...(id !== undefined ? { id } : {}) };
  // A replay writes alerts with new spool ids: only with no daemon on the spool (it holds the
  // folder's lock), which would give the same ids to its own new alerts. It also puts back first
  // what a stopped daemon left in its intake log. list, show and purge work beside a daemon.
  const owner = command === 'replay';
  // Reading or deleting needs no new spool: say where none was found (a mistyped spool.dir).
  const dir = statSync(config.spool.dir, { throwIfNoEntry: false });
  if (!owner && (dir === undefined || (dir.isDirectory() && !existsSync(join(config.spool.dir, SPOOL_FILE))))) {
    say.err(`no spool in ${config.spool.dir} (spool.dir): no dead letters there; give the config the daemon runs with (-c FILE)`);
    return 1;
  }
  let spool: Spool;
  try {
    spool = Spool.open(config.spool, pino({ level: 'silent' }), { lock: owner, writer: 'inline' });
  } catch (err) {
    if (!(err instanceof SpoolInUseError)) throw err;
    say.err(
      `a Peregrine daemon is running on this spool (${config.spool.dir}): replay through it with the console on (console.enabled and console.token in the config this command reads), or stop it and run this again`,
    );
    return 1;
  }
  try {
    switch (command) {
      case 'list': {
        const rows = spool.deadLetters({ ...filter, ...(since !== undefined ? { since } : {}), limit });
        for (const row of rows.map(toDeadLetter)) {
          say.out(`${row.id}\t${new Date(row.at).toISOString()}\t${row.output}\t${row.reason}\t${row.alert.priority}\t${row.alert.rule}\t${row.detail}`);
        }
        say.err(`${rows.length} dead letter(s) shown, ${spool.deadLetterCount()} in the store`);
        return 0;
      }
      case 'show': {
        if (id === undefined) return (say.err('show needs --id'), 2);
        const row = spool.deadLetters({ id })[0];
        if (!row) return (say.err(`no dead letter with id ${id}`), 1);
        const { json, ...meta } = row;
        say.out(JSON.stringify({ ...meta, at: new Date(Number(meta.at)).toISOString() }, null, 2));
        say.out(json);
        return 0;
      }
      case 'replay': {
        const rowFilter = { ...filter, ...(since !== undefined ? { since } : {}) };
        const configured = outputs === undefined ? undefined : new Set(outputs);
        const left = new Map<string, number>();
        if (configured) for (const row of spool.deadLetters(rowFilter)) if (!configured.has(row.output)) left.set(row.output, (left.get(row.output) ?? 0) + 1);
        const replayed = spool.replayDeadLetters(rowFilter, configured).length;
        say.out(`${replayed} dead letter(s) put back in their output's queue; they are sent at the daemon's next start`);
        for (const [output, n] of left) say.err(`${n} dead letter(s) of "${output}" left in the store: that output is not in this config`);
        return replayed === 0 && left.size > 0 ? 1 : 0;
      }
      case 'purge':
        say.out(`${spool.purgeDeadLetters({ ...filter, ...(since !== undefined ? { since } : {}) })} dead letter(s) deleted`);
        return 0;
      default:
        say.err(DLQ_USAGE);
        return 2;
    }
  } finally {
    spool.close();
  }
}
