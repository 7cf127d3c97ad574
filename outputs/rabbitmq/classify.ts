// What RabbitMQ's answers mean for the alerts. amqplib reports a refused login, an unknown vhost or a
// missing permission as an error naming the AMQP reply code and text ("403 (ACCESS-REFUSED) with
// message ..."; a channel error also carries the code as `code`). Those need an operator: the output
// holds its alerts as failing. Anything else (a refused or reset connection, a broker restarting,
// a resource alarm past the deadline) is retried with backoff.
import { notOwn, retry, type Outcome } from '../../src/plugin/index.ts';

/** AMQP reply codes that only a change on the broker or in the config fixes. */
const NEEDS_OPERATOR: ReadonlyMap<number, string> = new Map([
  [403, 'check the user, its password and its permissions on the vhost'],
  [530, 'check the vhost in the URL (%2F for "/") and the user\'s access to it'],
]);

/** The reply code in an amqplib error: its `code`, or the "NNN (NAME)" its message starts a close with. */
function replyCode(err: Error & { code?: unknown }): number | undefined {
  if (typeof err.code === 'number') return err.code;
  const match = /\b(\d{3}) \([A-Z-]+\)/.exec(err.message);
  return match ? Number(match[1]) : undefined;
}

export function classifyError(err: unknown): Outcome {
  const error = err instanceof Error ? err : new Error(String(err));
  const code = replyCode(error);
  const hint = code === undefined ? undefined : NEEDS_OPERATOR.get(code);
  return hint ? retry(`${error.message} (${hint})`, { auth: true }) : retry(error.message);
}

/** The message came back as unroutable: no queue of that name (basic.return 312 NO_ROUTE). Held until the queue exists. */
export function unroutable(queue: string): Outcome {
  return notOwn(`RabbitMQ returned the message as unroutable (312 NO_ROUTE): no queue "${queue}" in this vhost; declare it (alerts are held until it exists)`, { auth: true });
}

/** basic.nack: the broker did not take the message (a queue full with x-overflow: reject-publish, a store failing). */
export const NACKED = notOwn('RabbitMQ refused the message (basic.nack): the queue may be full (x-overflow: reject-publish) or the broker could not store it');
