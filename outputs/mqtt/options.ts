// The mqtt section: falcosidekick's keys (broker, topic, qos, retained, user, password, checkcert)
// plus mutualtls, cacertfile and protocolversion. Validation only; no IO.
import { secret, tlsShape, z } from '../../src/plugin/index.ts';

const DEFAULT_TOPIC = 'falco/events';
/** paho's schemes (falcosidekick) and mqtt.js': plain TCP or TLS. */
const BROKER = /^(tcp|mqtt|ssl|tls|mqtts):\/\/(?:\[[0-9a-fA-F:.]+\]|[^\s:/@[\]]+)(?::\d{1,5})?\/?$/;
const TLS_SCHEMES = new Set(['ssl', 'tls', 'mqtts']);

const smallInt = (values: readonly number[], what: string) =>
  z
    .union([z.number(), z.string().trim().regex(/^\d+$/, `must be ${what}`)])
    .transform((v) => Number(v))
    .refine((v) => values.includes(v), { error: `must be ${what}` });

export const mqttSchema = z.object({
  broker: z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || BROKER.test(v), { error: 'must be tcp://host:1883 or ssl://host:8883 (also mqtt://, mqtts://, tls://)' })
    .describe('Broker URL: tcp://host:1883, or ssl://host:8883 for TLS (mqtt://, mqtts://, tls:// too). Setting it turns the output on.'),
  topic: z
    .string()
    .default(DEFAULT_TOPIC)
    .transform((v) => v || DEFAULT_TOPIC)
    .refine((v) => !/[+#\0]/.test(v), { error: 'must not contain the wildcards + or # (a topic to publish to is a plain name)' })
    .describe('Topic every alert is published to ("" means the default).'),
  qos: smallInt([0, 1, 2], '0, 1 or 2')
    .default(0)
    .describe('Quality of service: 0 (written to the connection, no acknowledgement), 1 (delivered once the broker acknowledges, PUBACK) or 2 (exactly once to the broker, PUBCOMP).'),
  retained: z.boolean().default(false).describe('Publish with the retain flag: the broker keeps the last alert of the topic for subscribers that arrive later.'),
  user: z.string().default('').describe('User name; sent only with a password, as in falcosidekick.'),
  password: secret(z.string().default('').describe('Password; sent only with a user.')),
  protocolversion: smallInt([3, 4, 5], '3 (MQTT 3.1), 4 (3.1.1) or 5')
    .default(4)
    .describe('MQTT protocol: 4 = 3.1.1 (falcosidekick\'s), 5 = MQTT 5, whose acknowledgements say when the broker refused a message (not authorized, quota exceeded…), 3 = 3.1.'),
  ...tlsShape,
});

/** The broker URL as mqtt.js takes it, and whether it is TLS. */
export function brokerUrl(broker: string): { url: string; tls: boolean } {
  const scheme = broker.slice(0, broker.indexOf(':'));
  const tls = TLS_SCHEMES.has(scheme);
  const rest = broker.slice(broker.indexOf('://') + 3).replace(/\/$/, '');
  const port = /^\[.*\]:\d+$|^[^:[\]]+:\d+$/.test(rest) ? '' : `:${tls ? 8883 : 1883}`;
  return { url: `${tls ? 'mqtts' : 'mqtt'}://${rest}${port}`, tls };
}
