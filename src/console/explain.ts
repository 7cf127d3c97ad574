// `peregrine explain UUID [-c FILE] [--json]`: the delivery trail of one alert, from the running
// daemon's API, or from the spool file when the daemon is not running.
import { parseCommand, type Say } from '../cli-args.ts';
import type { BaseConfig } from '../config/base.ts';
import { trailPath } from '../trail/create.ts';
import { openTrailReader } from '../trail/sqlite-store.ts';
import { callDaemon } from './daemon-client.ts';
import { recordJson, type RecordJson } from './json.ts';

const EXPLAIN_USAGE = `Usage: peregrine explain UUID [-c FILE] [--json]

  Prints the delivery trail of one alert: when and from where it arrived, which outputs took it
  (or why not), every attempt, and how each output ended. Asks the running daemon's console API
  (console.enabled, console.token or console.readtoken from the config); when the daemon is not
  running, reads the trail file in spool.dir (peregrine-trail.db).`;

const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s.padEnd(n));

/** The trail as text, one block per output. */
function formatTrail(r: RecordJson): string {
  const a = r.alert;
  const ns = typeof a.output_fields['k8s.ns.name'] === 'string' ? `  namespace ${a.output_fields['k8s.ns.name'] as string}` : '';
  const lines = [
    `alert ${r.trail.uuid}  ${a.priority}  rule "${a.rule}"  source ${a.source}${a.hostname ? `  host ${a.hostname}` : ''}${ns}`,
    `  output:   ${a.output}`,
    `  received: ${r.trail.receivedAt}${r.trail.from ? ` from ${r.trail.from}` : ''}`,
    '',
    `${pad('OUTPUT', 16)}${pad('STATE', 15)}${pad('SINCE', 26)}${pad('ATTEMPTS', 9)}WHY`,
  ];
  for (const o of r.trail.outputs) {
    lines.push(`${pad(o.output, 16)}${pad(o.state, 15)}${pad(o.stateAt, 26)}${pad(String(o.attemptCount), 9)}${o.reason ?? (o.routed ? '' : 'not routed')}`);
    const shown = o.attempts.length;
    o.attempts.forEach((t, i) => {
      if (i === 1 && o.attemptCount > shown) lines.push(`    … ${o.attemptCount - shown} earlier attempts not kept`);
      lines.push(`    ${t.at}  ${pad(t.outcome, 6)}${pad(`${t.latencyMs} ms`, 11)}batch ${pad(String(t.batch), 5)}${t.detail}`);
    });
  }
  return lines.join('\n');
}

export async function runExplain(argv: string[], config: BaseConfig, say: Say): Promise<number> {
  const { values, positionals } = parseCommand(argv, { config: { type: 'string', short: 'c' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } });
  const uuid = positionals[0];
  if (values.help) return (say.out(EXPLAIN_USAGE), 0);
  if (uuid === undefined) return (say.err(EXPLAIN_USAGE), 2);
  const print = (record: RecordJson) => say.out(values.json ? JSON.stringify(record, null, 2) : formatTrail(record));

  const answer = await callDaemon(config, 'GET', `/api/v1/alerts/${encodeURIComponent(uuid)}`);
  if (answer?.status === 200) return (print(answer.body as unknown as RecordJson), 0);
  if (answer) {
    const message = (answer.body.error as { message?: string } | undefined)?.message ?? `HTTP ${answer.status}`;
    say.err(`the daemon answered ${answer.status}: ${message}`);
    return answer.status === 404 ? 1 : 2;
  }
  // The daemon is not running (or has no console): the trail is in the spool file, if anywhere.
  if (!config.spool.enabled) {
    say.err('the daemon is not reachable (console.enabled, console address and port from this config) and the spool is off, so the trail was only in its memory');
    return 1;
  }
  const path = trailPath(config.spool.dir);
  const store = openTrailReader(path);
  if (!store) return (say.err(`no delivery trail in ${path} (spool.dir): nothing to explain`), 1);
  try {
    const record = store.get(uuid);
    if (!record) return (say.err(`no trail for alert ${uuid} in ${path}: never received, or older than the trail keeps (trail.maxagems / trail.maxbytes)`), 1);
    print(recordJson(record));
    return 0;
  } finally {
    store.close();
  }
}
