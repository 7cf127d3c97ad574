// Readiness probe used by start.sh: `node ready.mjs <state.json>` exits 0 once every listener
// (PLAINTEXT, SASL_PLAINTEXT with PLAIN/SCRAM-SHA-256/SCRAM-SHA-512, SSL with client cert,
// SASL_SSL) authenticates and answers a metadata request. One attempt, short timeouts: start.sh
// retries it through wait_for. Plain JS (no TS) so any Node that can load kafkajs runs it.
/* global process, console */
import { readFileSync } from 'node:fs';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const s = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const tls = { ca: [readFileSync(s.caFile)] };
const mtls = { ...tls, cert: readFileSync(s.clientCertFile), key: readFileSync(s.clientKeyFile) };
const sasl = (mechanism) => ({ mechanism, username: s.username, password: s.password });

const probes = [
  ['plaintext', { brokers: [s.bootstrap.plaintext] }],
  ['saslPlaintext/plain', { brokers: [s.bootstrap.saslPlaintext], sasl: sasl('plain') }],
  ['saslPlaintext/scram-sha-256', { brokers: [s.bootstrap.saslPlaintext], sasl: sasl('scram-sha-256') }],
  ['saslPlaintext/scram-sha-512', { brokers: [s.bootstrap.saslPlaintext], sasl: sasl('scram-sha-512') }],
  ['ssl', { brokers: [s.bootstrap.ssl], ssl: mtls }],
  ['saslSsl/plain', { brokers: [s.bootstrap.saslSsl], ssl: tls, sasl: sasl('plain') }],
];

const results = await Promise.allSettled(
  probes.map(async ([name, cfg]) => {
    const admin = new Kafka({ ...cfg, clientId: 'peregrine-it-ready', logLevel: logLevel.NOTHING,
      connectionTimeout: 2000, authenticationTimeout: 3000, requestTimeout: 3000, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      const { brokers, controller } = await admin.describeCluster();
      if (brokers.length < 1 || controller == null) throw new Error('no broker/controller in metadata yet');
    } catch (err) {
      throw new Error(`${name}: ${err?.message ?? err}`, { cause: err });
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }),
);
const failed = results.filter((r) => r.status === 'rejected');
for (const r of failed) console.error(r.reason.message);
process.exit(failed.length ? 1 : 0);
