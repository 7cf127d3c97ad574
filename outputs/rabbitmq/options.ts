// The rabbitmq output's keys: falcosidekick 2.34.1's `rabbitmq.url` and `rabbitmq.queue` (types.go
// RabbitmqConfig; `queue` is read as `queuename`, see index.ts `aliases`), plus the TLS keys every
// output has for an amqps:// URL.
import { secret, tlsShape, z, type OptionProblem } from '../../src/plugin/index.ts';

const amqpUrl = z.url({ protocol: /^amqps?$/, error: 'must be an amqp:// or amqps:// URL such as amqp://user:password@rabbitmq:5672/vhost' });

export const rabbitmqSchema = z.object({
  url: secret(
    z
      .union([z.literal(''), amqpUrl])
      .default('')
      .describe(
        'Broker URL, e.g. amqp://user:password@rabbitmq:5672/ (a vhost as its path, %2F for "/"; amqps:// for TLS). It carries the password: redacted everywhere. Setting it turns the output on.',
      ),
  ),
  queuename: z
    .string()
    .default('')
    .describe(
      'Queue the alerts go to (published on the default exchange with the queue\'s name as routing key, as falcosidekick does); it must exist. Required with url. falcosidekick\'s `rabbitmq.queue: <name>` (env RABBITMQ_QUEUE) sets it: a name there is read as queuename, a mapping is the core\'s queue bounds.',
    ),
  ...tlsShape,
});

export type RabbitmqOptions = z.output<typeof rabbitmqSchema>;

/** falcosidekick starts the output only with both keys and stays off quietly with one: here a startup error. */
export function rabbitmqProblems(options: RabbitmqOptions): OptionProblem[] {
  return options.url !== '' && options.queuename === ''
    ? [{ path: 'queuename', message: 'is required when url is set (the queue the alerts are published to; falcosidekick\'s rabbitmq.queue: <name> sets it)' }]
    : [];
}
