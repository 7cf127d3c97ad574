// `node bench/kafka-client.ts`: what producing alerts to Kafka costs the daemon's CPU, per alert, with
// kafkajs (the output's client, unmaintained since 2023) and with @platformatic/kafka (the proposed
// replacement: maintained, pure JavaScript, CRC32C in WebAssembly), against the real broker from
// test/infra. Both send the records the output builds (key = uuid, value = the alert JSON, three
// headers), acks ALL, no client retries, no compression, one send in flight (the output's
// concurrency), in batches of 100 and 1,000; the two clients take turns within each round. Each
// client's RSS after loading it, connecting and sending 10 batches of 1,000 is read in a fresh process.
// The replacement is not a dependency: it is installed with --omit=optional (its only native part,
// @node-rs/crc32, is optional) into ~/.cache/peregrine-bench/kafka-alt-<version> on first use.
//   node bench/kafka-client.ts [--batches 200] [--rounds 3]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Message } from 'kafkajs';
import { toMessage } from '../outputs/kafka/messages.ts';
import { thawAlert } from '../src/alert/serialize.ts';
import { falcoAlertJson } from '../test/support/alerts.ts';
import { machineCpu, stealShare } from './proc.ts';

const ALT_VERSION = '2.12.1';
const altDir = join(homedir(), '.cache/peregrine-bench', `kafka-alt-${ALT_VERSION}`);
const { values } = parseArgs({
  options: { batches: { type: 'string', default: '200' }, rounds: { type: 'string', default: '3' }, child: { type: 'string' }, bootstrap: { type: 'string' }, topic: { type: 'string' } },
});

/** The part of @platformatic/kafka's Producer this bench uses (the package is not a dependency). */
interface AltProducer {
  send(request: { messages: { topic: string; key: string; value: string; headers: Record<string, string> }[]; acks: number }): Promise<unknown>;
  close(): Promise<void>;
}
interface AltModule {
  Producer: new (options: Record<string, unknown>) => AltProducer;
  stringSerializers: unknown;
}

interface Client {
  name: string;
  send(messages: Message[]): Promise<void>;
  close(): Promise<void>;
}

function installAlt(): void {
  if (existsSync(join(altDir, 'node_modules/@platformatic/kafka/package.json'))) return;
  mkdirSync(altDir, { recursive: true });
  console.error(`installing @platformatic/kafka@${ALT_VERSION} into ${altDir} (no optional native parts)`);
  execFileSync('npm', ['install', '--prefix', altDir, '--omit=optional', '--no-audit', '--no-fund', '--no-save', `@platformatic/kafka@${ALT_VERSION}`], { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function kafkajsClient(bootstrap: string, topic: string): Promise<Client> {
  const { Kafka, Partitioners, logLevel } = (await import('kafkajs')).default;
  const producer = new Kafka({ clientId: 'bench', brokers: [bootstrap], retry: { retries: 0 }, logLevel: logLevel.NOTHING }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 0 },
    idempotent: false,
  });
  await producer.connect();
  return {
    name: 'kafkajs 2.2.4',
    send: async (messages) => {
      await producer.send({ topic, messages, acks: -1 });
    },
    close: () => producer.disconnect(),
  };
}

async function altClient(bootstrap: string, topic: string): Promise<Client> {
  const alt = (await import(pathToFileURL(join(altDir, 'node_modules/@platformatic/kafka/dist/index.js')).href)) as AltModule;
  const producer = new alt.Producer({ clientId: 'bench', bootstrapBrokers: [bootstrap], serializers: alt.stringSerializers, retries: 0, idempotent: false });
  return {
    name: `@platformatic/kafka ${ALT_VERSION}`,
    send: async (messages) => {
      await producer.send({
        messages: messages.map((m) => ({ topic, key: m.key as string, value: m.value as string, headers: m.headers as Record<string, string> })),
        acks: -1,
      });
    },
    close: () => producer.close(),
  };
}

const alerts = Array.from({ length: 1000 }, (_, i) => thawAlert(falcoAlertJson(i)));
const messages = (n: number): Message[] => alerts.slice(0, n).map((alert) => toMessage(alert, { keyfield: '', partition: 0 }));
const open = (which: string, bootstrap: string, topic: string) => (which === 'kafkajs' ? kafkajsClient(bootstrap, topic) : altClient(bootstrap, topic));

// Child: one client's resident memory after loading, connecting and 10 batches of 1,000.
if (values.child !== undefined) {
  const client = await open(values.child, values.bootstrap as string, values.topic as string);
  for (let i = 0; i < 10; i++) await client.send(messages(1000));
  globalThis.gc?.();
  console.log(JSON.stringify({ rssMiB: process.memoryUsage().rss / 2 ** 20 }));
  await client.close();
  process.exit(0);
}

installAlt();
const { useInfra, running } = await import('../test/infra/state.ts');
const startedBroker = !running('kafka');
const infra = await useInfra<{ bootstrap: { plaintext: string } }>('kafka');
const bootstrap = infra.bootstrap.plaintext;
const topic = `bench-client-${Date.now()}`;
const { Kafka, logLevel } = (await import('kafkajs')).default;
const admin = new Kafka({ clientId: 'bench-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });

const clients = [await open('kafkajs', bootstrap, topic), await open('alt', bootstrap, topic)];
const BATCHES = Number(values.batches);
let sent = 0;
console.log(`Node ${process.version}; topic ${topic} (3 partitions) on ${bootstrap}; ${BATCHES} batches per client, size and round\n`);
console.log('| client | batch | round | alerts/s | CPU µs per alert | steal % |');
console.log('|---|---|---|---|---|---|');
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const size of [100, 1000]) {
    const batch = messages(size);
    for (const client of clients) {
      for (let i = 0; i < 5; i++) await client.send(batch); // warm up
      const machine = machineCpu();
      const before = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < BATCHES; i++) await client.send(batch);
      const seconds = (performance.now() - start) / 1000;
      const used = process.cpuUsage(before);
      sent += (BATCHES + 5) * size;
      const n = BATCHES * size;
      console.log(`| ${client.name} | ${size} | ${round} | ${Math.round(n / seconds).toLocaleString('en')} | ${((used.user + used.system) / n).toFixed(1)} | ${(100 * stealShare(machine, machineCpu())).toFixed(1)} |`);
    }
  }
}
for (const client of clients) await client.close();

// Every record sent must be on the broker: the two clients did the same work.
const offsets = await admin.fetchTopicOffsets(topic);
const stored = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
console.log(`\nrecords on the broker: ${stored.toLocaleString('en')} of ${sent.toLocaleString('en')} sent${stored === sent ? '' : ' — MISMATCH'}`);

console.log('\n| client | RSS MiB after load, connect, 10 × 1,000 (fresh process, after GC) |');
console.log('|---|---|');
for (const [i, which] of ['kafkajs', 'alt'].entries()) {
  const child = spawnSync(process.execPath, ['--expose-gc', import.meta.filename, '--child', which, '--bootstrap', bootstrap, '--topic', topic], { encoding: 'utf8' });
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  const rss = line.startsWith('{') ? (JSON.parse(line) as { rssMiB: number }).rssMiB.toFixed(1) : `failed: ${child.stderr.trim().split('\n').at(-1)}`;
  console.log(`| ${clients[i]?.name} | ${rss} |`);
}
await admin.deleteTopics({ topics: [topic] });
await admin.disconnect();
if (startedBroker) spawnSync('bash', [join(import.meta.dirname, '../test/infra/infra.sh'), 'kafka', 'stop'], { stdio: ['ignore', 'ignore', 'inherit'] });
