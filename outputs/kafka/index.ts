// Kafka (falcosidekick's `kafka` output) through kafkajs: one batched produce per flush, the alert uuid
// as the message key, acks ALL by default. kafkajs' own retries are off: the worker's retry is the only
// one. No idempotent producer: kafkajs refuses it with retries 0, and the broker's sequence-number dedup
// only covers kafkajs re-sending the same in-flight batch — a worker retry is a new send with new
// sequence numbers, which the broker would accept again anyway. Replays are recognisable by the key.
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import type { Admin, CompressionTypes, ISocketFactory, KafkaConfig, Producer, SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import { defineOutput, loadTls, ok, raceSignal, retry, type ClientTls } from '../../src/plugin/index.ts';
import { classifyKafkaError, describeKafkaError, isAuthError, authHint } from './classify.ts';
import { COMPRESSION_TYPE, registerCodecs } from './codecs.ts';
import { kafkaLogLevel, pinoLogCreator } from './log.ts';
import { toMessage } from './messages.ts';
import { ACKS, kafkaSchema, type KafkaOptions } from './options.ts';
import { partitionerFor } from './partitioners.ts';

export interface KafkaClient {
  producer: Producer;
  admin: Admin;
  acks: number;
  compression: (typeof COMPRESSION_TYPE)[keyof typeof COMPRESSION_TYPE];
  timeoutMs: number;
}

export default defineOutput({
  name: 'kafka',
  description: 'Produce each alert as a JSON record to an Apache Kafka topic (key = alert uuid, acks ALL by default).',
  schema: kafkaSchema,
  example: { hostport: 'kafka-0:9092,kafka-1:9092', topic: 'falco-alerts' },
  // falcosidekick needs both and stays silently off with hostport alone; here hostport turns Kafka
  // on and validate() makes a missing topic a config error.
  enabled: (options) => options.hostport !== '',
  validate: (options) =>
    options.topic === '' ? [{ path: 'topic', message: 'kafka.hostport is set but kafka.topic is empty: set the topic to produce to (or unset hostport to leave Kafka off)' }] : [],
  // 200 records per produce, as falcosidekick's client (kafka-go's Writer, 100 by default) keeps
  // batches small too. A kafkajs send costs more per record the larger it is: it groups the records
  // by partition copying the partition's array for each one, and a batch of 1,000 lives long enough
  // for V8 to promote what it holds. With the webhook stalled and four outputs delivering, V8's GC
  // threads took ~20 % less CPU per alert with 200 than with 1,000 (docs/performance-history.md, round 28).
  // 800 KB keeps a batch of large alerts (plus keys, headers, record overhead) under the broker's
  // default message.max.bytes (1 MiB) even uncompressed and on a single partition.
  batch: { maxevents: 200, maxbytes: 800_000, flushms: 100 },
  concurrency: 1,
  async connect(options, ctx): Promise<KafkaClient> {
    // Loaded here, not at import: a daemon without Kafka never pays for kafkajs.
    const { Kafka, CompressionCodecs } = (await import('kafkajs')).default;
    registerCodecs(CompressionCodecs);
    const kafka = new Kafka(kafkaConfig(options, ctx));
    const producer = kafka.producer({
      createPartitioner: partitionerFor(options.balancer),
      retry: { retries: 0 },
      idempotent: false,
      allowAutoTopicCreation: options.topiccreation,
    });
    const admin = kafka.admin({ retry: { retries: 0 } });
    try {
      await producer.connect();
      await admin.connect();
      if (options.topiccreation && !(await admin.listTopics()).includes(options.topic)) {
        // -1: the broker's num.partitions and default.replication.factor.
        await admin.createTopics({ topics: [{ topic: options.topic, numPartitions: -1, replicationFactor: -1 }], waitForLeaders: true });
        ctx.log.info({ topic: options.topic }, 'kafka topic created');
      }
    } catch (err) {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
      const hint = isAuthError(err) ? ` (${authHint(options)})` : '';
      throw new Error(`kafka ${options.hostport}: ${describeKafkaError(err)}${hint}`, { cause: err });
    }
    return { producer, admin, acks: ACKS[options.requiredacks], compression: COMPRESSION_TYPE[options.compression], timeoutMs: ctx.timeoutMs };
  },
  async healthcheck({ client, options, signal }) {
    try {
      const { topics } = await raceSignal(client.admin.fetchTopicMetadata({ topics: [options.topic] }), signal);
      const partitions = topics[0]?.partitions ?? [];
      const leaderless = partitions.filter((p) => p.leader < 0).length;
      if (leaderless > 0) return { ok: false, message: `topic ${options.topic}: ${leaderless} of ${partitions.length} partitions have no leader` };
      if (options.partition > 0 && !partitions.some((p) => p.partitionId === options.partition)) {
        return { ok: false, message: `topic ${options.topic} has no partition ${options.partition} (kafka.partition)` };
      }
      return { ok: true, message: `topic ${options.topic}: ${partitions.length} partitions` };
    } catch (err) {
      const outcome = classifyKafkaError(err, 2, options);
      return { ok: false, message: `topic ${options.topic} on ${options.hostport}: ${outcome.kind === 'retry' ? outcome.reason : describeKafkaError(err)}` };
    }
  },
  async sendBatch(alerts, { client, options, signal }) {
    const sending = client.producer.send({
      topic: options.topic,
      messages: alerts.map((alert) => toMessage(alert, options)),
      acks: client.acks,
      timeout: client.timeoutMs,
      compression: client.compression as number as CompressionTypes,
    });
    try {
      // kafkajs takes no AbortSignal. Racing it keeps a hung broker from holding the worker past
      // timeoutms, but the abandoned send may still complete later: the retry then writes the same
      // alerts again (at-least-once). The uuid key lets consumers drop such duplicates.
      await raceSignal(sending, signal);
      return ok();
    } catch (err) {
      if (signal.aborted) return retry(`no answer from the broker within the deadline (${describeKafkaError(signal.reason)}); the send may still complete, so a duplicate (same key) is possible`);
      return classifyKafkaError(err, alerts.length, options);
    }
  },
  async close(client: KafkaClient) {
    await Promise.allSettled([client.producer.disconnect(), client.admin.disconnect()]);
  },
});

function kafkaConfig(options: KafkaOptions, ctx: { log: Logger; tls: ClientTls; timeoutMs: number }): KafkaConfig {
  const useTls = options.tls || options.mutualtls;
  const config: KafkaConfig = {
    clientId: options.clientid,
    brokers: options.hostport.split(',').map((b) => b.trim()).filter(Boolean),
    connectionTimeout: Math.min(ctx.timeoutMs, 10_000),
    authenticationTimeout: Math.min(ctx.timeoutMs, 10_000),
    requestTimeout: ctx.timeoutMs,
    retry: { retries: 0 },
    logLevel: kafkaLogLevel(ctx.log),
    logCreator: pinoLogCreator(ctx.log),
  };
  if (useTls) {
    config.ssl = loadTls(options, ctx.tls);
    config.socketFactory = socketFactory;
  }
  if (options.sasl) config.sasl = { mechanism: options.sasl, username: options.username, password: options.password } as SASLOptions;
  return config;
}

// kafkajs' own socket factory, except that an IP address is not sent as the TLS server name (SNI
// forbids it and Node warns on every connection); the certificate is still checked against the IP.
const socketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = tls.connect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...(ssl as tls.ConnectionOptions) }, onConnect);
  socket.setKeepAlive(true, 60_000);
  return socket;
};
