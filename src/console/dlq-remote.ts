// `peregrine dlq replay|purge` on a running daemon: through its console API, so a replay is sent
// right away (and the action lands in the daemon's audit log). Without a reachable daemon, the
// spool file is changed directly (src/spool/dlq-cli.ts) and a replay waits for the next start.
import { parseArgs } from 'node:util';
import type { BaseConfig } from '../config/base.ts';
import { runDlq } from '../spool/dlq-cli.ts';
import { callDaemon } from './daemon-client.ts';

export async function runDlqCommand(argv: string[], config: BaseConfig, out: (line: string) => void): Promise<number> {
  const command = argv[0];
  if ((command !== 'replay' && command !== 'purge') || !config.console.enabled || config.console.token === '') return runDlq(argv, config, out);
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: argv.slice(1),
      options: { config: { type: 'string', short: 'c' }, output: { type: 'string' }, rule: { type: 'string' }, since: { type: 'string' }, id: { type: 'string' }, limit: { type: 'string' } },
      strict: true,
    }).values;
  } catch {
    return runDlq(argv, config, out); // it prints the usage
  }
  const filter = Object.fromEntries(['output', 'rule', 'since', 'id'].filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
  const body = command === 'purge' && Object.keys(filter).length === 0 ? { all: true } : filter;
  const answer = await callDaemon(config, 'POST', `/api/v1/deadletters/${command}`, body);
  if (!answer) {
    out('the daemon is not reachable: changing the spool file directly');
    return runDlq(argv, config, out);
  }
  if (answer.status !== 200) {
    out(`the daemon answered ${answer.status}: ${(answer.body.error as { message?: string } | undefined)?.message ?? ''}`);
    return answer.status === 400 ? 2 : 1;
  }
  if (command === 'replay') out(`${String(answer.body.replayed)} dead letter(s) put back in their output's queue on the running daemon`);
  else out(`${String(answer.body.purged)} dead letter(s) deleted on the running daemon`);
  return 0;
}
