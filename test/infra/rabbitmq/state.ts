// Shape of $PEREGRINE_IT_STATE/rabbitmq.json, written by test/infra/rabbitmq/start.sh.
// Usage: const rabbit = await useInfra<RabbitmqInfra>('rabbitmq'); then rabbitmq.url: rabbit.url.
// The server is Debian's rabbitmq-server (3.10), one node, no plugins, the default user guest/guest.
export interface RabbitmqInfra {
  /** "127.0.0.1" */
  host: string;
  port: number;
  /** "amqp://guest:guest@127.0.0.1:<port>": the value of rabbitmq.url. */
  url: string;
  /** The node's log. */
  log: string;
  /** rabbitmqctl for this node: run `command` with `env` added (e.g. close_all_connections "why"). */
  ctl: { command: string; env: Record<string, string> };
}
