// `peregrine dlq replay|purge` on a running daemon: through its console API, so a replay is sent
// right away (and the action lands in the daemon's audit log). Without a reachable daemon, the
// spool file is changed directly (src/spool/dlq-cli.ts) and a replay waits for the next start.
import { parseCommand, type Say } from '../cli-args.ts';
import type { BaseConfig } from '../config/base.ts';
import { DLQ_OPTIONS, runDlq } from '../spool/dlq-cli.ts';
import { callDaemon } from './daemon-client.ts';

/** `outputs`: the outputs the config runs (an offline replay puts back only theirs: spool/dlq-cli.ts). */
export async function runDlqCommand(argv: string[], config: BaseConfig, say: Say, outputs?: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, DLQ_OPTIONS);
  const command = positionals[0];
  if ((command !== 'replay' && command !== 'purge') || !config.console.enabled || config.console.token === '') return runDlq(argv, config, say, outputs);
  const filter = Object.fromEntries((['output', 'rule', 'since', 'id'] as const).filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
  const body = command === 'purge' && Object.keys(filter).length === 0 ? { all: true } : filter;
  const answer = await callDaemon(config, 'POST', `/api/v1/deadletters/${command}`, body);
  if (!answer) {
    say.err('the daemon is not reachable: changing the spool file directly');
    return runDlq(argv, config, say, outputs);
  }
  if (answer.status !== 200) {
    say.err(`the daemon answered ${answer.status}: ${(answer.body.error as { message?: string } | undefined)?.message ?? ''}`);
    return answer.status === 400 ? 2 : 1;
  }
  if (command === 'purge') return (say.out(`${String(answer.body.purged)} dead letter(s) deleted on the running daemon`), 0);
  say.out(`${String(answer.body.replayed)} dead letter(s) put back in their output's queue on the running daemon`);
  const left = Object.entries((answer.body.notConfigured ?? {}) as Record<string, number>);
  for (const [output, n] of left) say.err(`${n} dead letter(s) of "${output}" left in the store: that output is not in the daemon's config`);
  return answer.body.replayed === 0 && left.length > 0 ? 1 : 0;
}
