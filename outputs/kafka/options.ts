// The kafka output's options: falcosidekick's keys and spellings (docs/outputs/kafka.md), plus Peregrine's
// `keyfield`. Only validation and normalisation here; no IO.
import { secret, tlsShape, z } from '../../src/plugin/index.ts';

/** kafkajs mechanism names. */
export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

const SASL: Record<string, SaslMechanism> = { plain: 'plain', scramsha256: 'scram-sha-256', scramsha512: 'scram-sha-512' };

/** "plain", "PLAIN", "scram_sha256", "SCRAM_SHA256", "SCRAM-SHA-256", "scram-sha-512", ... → kafkajs name; "" → none. */
export function parseSasl(value: string): SaslMechanism | '' | undefined {
  const key = value.trim().toLowerCase().replace(/[-_\s]/g, '');
  if (key === '') return '';
  return SASL[key];
}

export const ACKS = { none: 0, one: 1, leader: 1, all: -1 } as const;
const BALANCERS = ['murmur2', 'murmur2_random', 'crc32', 'crc32_random', 'hash', 'round_robin', 'least_bytes'] as const;
export type Balancer = (typeof BALANCERS)[number];
const COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

const lower = z.string().transform((v) => v.trim().toLowerCase());

export const kafkaSchema = z.object({
  hostport: z
    .string()
    .default('')
    .refine((v) => v === '' || v.split(',').every((b) => /^[^\s:,]+(?::\d{1,5})?$/.test(b.trim())), {
      error: 'must be comma-separated host:port pairs, e.g. "kafka-0:9092,kafka-1:9092"',
    })
    // falcosidekick's Kafka client dials port 9092 when a broker has none.
    .transform((v) => (v === '' ? v : v.split(',').map((b) => (b.includes(':') ? b.trim() : `${b.trim()}:9092`)).join(',')))
    .describe('Bootstrap brokers, comma-separated host:port (a host without a port means 9092, as in falcosidekick). Setting it (with topic) turns the output on.'),
  topic: z.string().default('').describe('Topic the alerts are written to.'),
  partition: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'Write every alert to this partition. 0 means "not set" (as in falcosidekick, whose default is 0): the balancer chooses. ' +
        'Partition 0 cannot be pinned; use a single-partition topic for that.',
    ),
  keyfield: z
    .string()
    .default('')
    .describe(
      'Message key: the alert uuid when empty, else this output field (e.g. k8s.ns.name) or top-level alert field (hostname, rule, priority, source) so related alerts share a partition. Alerts without the field are keyed by uuid.',
    ),
  balancer: lower
    .default('murmur2')
    .transform((v) => (v === '' ? 'murmur2' : v))
    .pipe(z.enum(BALANCERS, { error: `must be one of ${BALANCERS.join(', ')}` }))
    .describe(
      'Partition choice when partition is 0: murmur2 (Java client default, by key), crc32 (librdkafka consistent, by key), hash (FNV-1a, sarama), round_robin, least_bytes (fewest bytes sent by this instance). *_random spellings = the keyed form (every message has a key).',
    ),
  sasl: z
    .string()
    .default('')
    .refine((v) => parseSasl(v) !== undefined, { error: 'must be plain, scram_sha256 or scram_sha512 (any case, - or _), or "" for none' })
    .transform((v) => parseSasl(v) ?? '')
    .describe('SASL mechanism: plain, scram_sha256 or scram_sha512 (any case; SCRAM-SHA-256 spelling too). Empty: no SASL.'),
  username: z.string().default('').describe('SASL username.'),
  password: secret(z.string().default('').describe('SASL password.')),
  tls: z.boolean().default(false).describe('Connect with TLS (on by itself when mutualtls is set). CA, checkcert and client certificate as for every output.'),
  ...tlsShape,
  compression: lower
    .default('none')
    .transform((v) => (v === '' ? 'none' : v))
    .pipe(z.enum(COMPRESSIONS, { error: `must be one of ${COMPRESSIONS.join(', ')}` }))
    .describe('Record batch compression: none, gzip, snappy, lz4 or zstd (all pure JavaScript or built into Node).'),
  requiredacks: z
    .string()
    .default('ALL')
    .transform((v) => v.trim().toLowerCase() || 'all')
    .pipe(z.enum(['none', 'one', 'leader', 'all'], { error: 'must be NONE, ONE (or LEADER) or ALL' }))
    .describe('Broker acknowledgement: ALL (every in-sync replica; default, unlike falcosidekick\'s NONE), ONE/LEADER, or NONE (fire and forget: a lost alert is never known).'),
  async: z
    .boolean()
    .default(false)
    .describe('Accepted for falcosidekick compatibility and has no effect: Peregrine always answers Falco before delivery; acknowledgements follow requiredacks.'),
  clientid: z.string().default('peregrine').describe('Kafka client id, shown in broker logs and quotas.'),
  topiccreation: z.boolean().default(false).describe('Create the topic at start when it does not exist (broker defaults for partitions and replication).'),
});

export type KafkaOptions = z.output<typeof kafkaSchema>;
