// Smoke test of test/infra/kafka: the real broker accepts kafkajs on every listener and
// mechanism Peregrine supports, rejects a wrong SASL password / a missing client certificate,
// and control.ts can take a broker down and bring it back on the same ports with its data.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { pauseBroker, resumeBroker, startDedicatedBroker, stopDedicatedBroker } from '../../infra/kafka/control.ts';
import { kafkaClientOptions, type KafkaInfra, type KafkaListener, type KafkaSaslMechanism } from '../../infra/kafka/state.ts';

const quiet = { logLevel: logLevel.NOTHING, connectionTimeout: 5_000 } satisfies Partial<KafkaConfig>;

/** Produces `values` (acks -1) to `topic` (auto-created) with one client. */
async function produce(cfg: Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'>, topic: string, values: string[]): Promise<void> {
  const producer = new Kafka({ clientId: 'smoke-producer', ...quiet, ...cfg }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: values.map((value) => ({ key: value, value })) });
  } finally {
    await producer.disconnect();
  }
}

/** Consumes `count` messages of `topic` from the beginning with a fresh consumer group. */
async function consume(cfg: Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'>, topic: string, count: number): Promise<string[]> {
  const consumer = new Kafka({ clientId: 'smoke-consumer', ...quiet, ...cfg }).consumer({ groupId: `smoke-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out: got ${got.length}/${count} messages from ${topic}`)), 30_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            got.push(message.value?.toString() ?? '');
            if (got.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return got;
  } finally {
    await consumer.disconnect();
  }
}

describe.skipIf(infraSkipped('kafka'))('kafka test infra', () => {
  let kafka: KafkaInfra;
  beforeAll(async () => {
    kafka = await useInfra<KafkaInfra>('kafka');
  });

  const cases: Array<[string, KafkaListener, KafkaSaslMechanism?]> = [
    ['PLAINTEXT', 'plaintext'],
    ['SASL_PLAINTEXT PLAIN', 'saslPlaintext', 'plain'],
    ['SASL_PLAINTEXT SCRAM-SHA-256', 'saslPlaintext', 'scram-sha-256'],
    ['SASL_PLAINTEXT SCRAM-SHA-512', 'saslPlaintext', 'scram-sha-512'],
    ['SSL with client certificate', 'ssl'],
    ['SASL_SSL PLAIN', 'saslSsl', 'plain'],
    ['SASL_SSL SCRAM-SHA-512', 'saslSsl', 'scram-sha-512'],
  ];
  it.each(cases)('produces and consumes over %s', async (_name, listener, mechanism) => {
    const cfg = kafkaClientOptions(kafka, listener, mechanism ? { mechanism } : {});
    const topic = `smoke-${listener}-${mechanism ?? 'none'}-${randomUUID()}`;
    const value = `alert-${randomUUID()}`;
    await produce(cfg, topic, [value]);
    expect(await consume(cfg, topic, 1)).toEqual([value]);
  });

  it.each<[KafkaListener, KafkaSaslMechanism]>([
    ['saslPlaintext', 'plain'],
    ['saslPlaintext', 'scram-sha-256'],
    ['saslPlaintext', 'scram-sha-512'],
    ['saslSsl', 'plain'],
  ])('rejects a wrong password on %s with %s', async (listener, mechanism) => {
    const cfg = kafkaClientOptions(kafka, listener, { mechanism, password: 'wrong-password' });
    const admin = new Kafka({ clientId: 'smoke-badauth', ...quiet, retry: { retries: 0 }, ...cfg }).admin();
    await expect(admin.connect()).rejects.toMatchObject({
      name: 'KafkaJSSASLAuthenticationError',
      message: expect.stringMatching(/authentication failed/i),
    });
    await admin.disconnect();
  });

  it('requires a client certificate on the SSL listener', async () => {
    const admin = new Kafka({
      clientId: 'smoke-nocert', ...quiet, retry: { retries: 0 },
      brokers: [kafka.bootstrap.ssl], ssl: { ca: [readFileSync(kafka.caFile, 'utf8')] },
    }).admin();
    await expect(admin.connect().then(() => admin.describeCluster())).rejects.toThrow(/certificate|Connection error|ECONNRESET/i);
    await admin.disconnect();
  });

  it('exposes the state the Kafka output tests rely on', () => {
    for (const addr of Object.values(kafka.bootstrap)) expect(addr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(kafka).toMatchObject({ username: 'falco', password: 'falco-secret' });
    expect(kafka.caFile).toMatch(/ca\.pem$/);
  });
});

describe.skipIf(infraSkipped('kafka'))('kafka control.ts (dedicated broker)', () => {
  let broker: KafkaInfra;
  // in a hook: hookTimeout (15 min) rather than testTimeout covers a slow start on a busy machine
  beforeAll(async () => {
    broker = await startDedicatedBroker(`smoke-${process.pid}`);
  });
  afterAll(async () => {
    if (broker) await stopDedicatedBroker(broker);
  });

  it('pauses and resumes a broker on the same ports, keeping its data', async () => {
    const cfg = kafkaClientOptions(broker, 'saslPlaintext', { mechanism: 'scram-sha-256' });
    const topic = `outage-${randomUUID()}`;
    await produce(cfg, topic, ['before']);

    await pauseBroker(broker);
    const down = new Kafka({ clientId: 'smoke-down', ...quiet, retry: { retries: 0 }, ...kafkaClientOptions(broker, 'plaintext') }).admin();
    await expect(down.connect()).rejects.toThrow(/ECONNREFUSED|Connection error/i);
    await down.disconnect();

    await resumeBroker(broker);
    await produce(cfg, topic, ['after']);
    expect(await consume(cfg, topic, 2)).toEqual(['before', 'after']);
  });
});
