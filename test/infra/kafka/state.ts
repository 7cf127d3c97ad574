// State of a Kafka broker started by test/infra/kafka/start.sh, as read by
// `await useInfra<KafkaInfra>('kafka')` (shared broker) or control.ts startDedicatedBroker().
import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

/** The four client listeners, all on 127.0.0.1. */
export type KafkaListener = 'plaintext' | 'saslPlaintext' | 'ssl' | 'saslSsl';
/** kafkajs spelling of the SASL mechanisms both SASL listeners accept. */
export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaInfra {
  /** "kafka" for the shared broker, "kafka-<name>" for a dedicated one. */
  instance: string;
  /** Apache Kafka version (3.9.1). */
  version: string;
  host: '127.0.0.1';
  /** "127.0.0.1:PORT" per listener:
   *  plaintext     – no auth
   *  saslPlaintext – SASL PLAIN / SCRAM-SHA-256 / SCRAM-SHA-512, no TLS
   *  ssl           – TLS with a client certificate REQUIRED (clientCertFile/clientKeyFile), no SASL
   *  saslSsl       – TLS (server auth only) + SASL PLAIN / SCRAM-SHA-256 / SCRAM-SHA-512 */
  bootstrap: Record<KafkaListener, string>;
  ports: Record<KafkaListener | 'controller', number>;
  /** SASL user seeded for every mechanism ("falco"). */
  username: string;
  /** Its password ("falco-secret"). */
  password: string;
  saslMechanisms: KafkaSaslMechanism[];
  /** PEM CA that signed the server cert (SAN IP:127.0.0.1, DNS:localhost) and the client cert. */
  caFile: string;
  /** PEM client certificate (CN=falco) accepted by the ssl listener. */
  clientCertFile: string;
  /** Its unencrypted PKCS#8 PEM key. */
  clientKeyFile: string;
  /** Broker log (stdout/stderr of the JVM). */
  log: string;
  /** Pid file of the broker process (leader of its own process group); used by control.ts. */
  pidFile: string;
  /** server.properties, log4j.properties, certs/, data/, broker.log live here. */
  runDir: string;
  dataDir: string;
}

export interface KafkaClientOptionsOverrides {
  /** SASL mechanism for saslPlaintext / saslSsl (default 'plain'). */
  mechanism?: KafkaSaslMechanism;
  username?: string;
  password?: string;
}

/**
 * kafkajs connection options (brokers, ssl, sasl) for one listener, e.g.
 * `new Kafka({ clientId: 't', ...kafkaClientOptions(infra, 'saslSsl', { mechanism: 'scram-sha-512' }) })`.
 */
export function kafkaClientOptions(
  infra: KafkaInfra,
  listener: KafkaListener,
  overrides: KafkaClientOptionsOverrides = {},
): Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'> {
  const ca = [readFileSync(infra.caFile, 'utf8')];
  const sasl = {
    mechanism: overrides.mechanism ?? 'plain',
    username: overrides.username ?? infra.username,
    password: overrides.password ?? infra.password,
  } as SASLOptions;
  switch (listener) {
    case 'plaintext':
      return { brokers: [infra.bootstrap.plaintext] };
    case 'saslPlaintext':
      return { brokers: [infra.bootstrap.saslPlaintext], sasl };
    case 'ssl':
      return {
        brokers: [infra.bootstrap.ssl],
        ssl: { ca, cert: readFileSync(infra.clientCertFile, 'utf8'), key: readFileSync(infra.clientKeyFile, 'utf8') },
      };
    case 'saslSsl':
      return { brokers: [infra.bootstrap.saslSsl], ssl: { ca }, sasl };
  }
}
