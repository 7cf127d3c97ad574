// Shape of $PEREGRINE_IT_STATE/nats.json, written by test/infra/nats/start.sh.
// Usage: const nats = await useInfra<NatsInfra>('nats');
//        nats.hostport: `nats://${nats.user}:${nats.password}@${nats.host}:${nats.port}`; read back as nats.reader.
export interface NatsInfra {
  /** "127.0.0.1" */
  host: string;
  port: number;
  /** The publisher: may publish to falco.> only (anything else: "Permissions Violation for Publish"). */
  user: string;
  password: string;
  /** The subscriber the tests read with: may subscribe to anything. */
  reader: { user: string; password: string };
  /** The server's max_payload in bytes (256 KiB, below the 1 MiB default). */
  maxPayload: number;
  /** nats-server's log. */
  log: string;
}
