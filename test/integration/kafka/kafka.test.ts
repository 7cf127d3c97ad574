// The kafka output against a real Kafka 3.9 broker (test/infra/kafka): every listener and auth mode,
// every compression codec, a wrong SASL password, and the user's seed block.
import { Writable } from 'node:stream';
import { parse } from 'yaml';
import pino from 'pino';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { kafkaClientOptions, type KafkaInfra, type KafkaListener, type KafkaSaslMechanism } from '../../infra/kafka/state.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { falcoAlertJson } from '../../support/alerts.ts';
import { fixtureText } from '../../support/fixtures.ts';
import { checkRecords, createTopic, kafkaWorker, postAlerts, readTopic, uniqueTopic, waitDelivered, waitUntil } from './support.ts';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const fast = '  timeoutms: 10000\n  retry:\n    initialbackoffms: 100\n    maxbackoffms: 2000\n';

describe.skipIf(infraSkipped('kafka'))('kafka output', () => {
  let infra: KafkaInfra;
  beforeAll(async () => {
    infra = await useInfra<KafkaInfra>('kafka');
  });

  const plain = () => kafkaClientOptions(infra, 'plaintext');

  /** YAML for the kafka section (and global TLS keys) of one listener. */
  function yamlFor(listener: KafkaListener, topic: string, mechanism?: KafkaSaslMechanism, extra = ''): string {
    const sasl = mechanism ? `  sasl: "${mechanism.toUpperCase().replace(/-/g, '_')}"\n  username: ${infra.username}\n  password: ${infra.password}\n` : '';
    const head = `kafka:\n  hostport: "${infra.bootstrap[listener]}"\n  topic: ${topic}\n${sasl}${fast}${extra}`;
    if (listener === 'ssl') {
      return `${head}  tls: true\n  mutualtls: true\nmutualtlsclient:\n  certfile: ${infra.clientCertFile}\n  keyfile: ${infra.clientKeyFile}\n  cacertfile: ${infra.caFile}\n`;
    }
    if (listener === 'saslSsl') return `${head}  tls: true\n  cacertfile: ${infra.caFile}\n`;
    return head;
  }

  const listeners: Array<[string, KafkaListener, KafkaSaslMechanism?]> = [
    ['PLAINTEXT', 'plaintext'],
    ['SASL PLAIN', 'saslPlaintext', 'plain'],
    ['SASL SCRAM-SHA-512', 'saslPlaintext', 'scram-sha-512'],
    ['TLS with a client certificate', 'ssl'],
  ];

  it.each(listeners)('delivers 20,000 alerts over %s: keys, headers, big integers intact, nothing lost or doubled', async (label, listener, mechanism) => {
    const topic = uniqueTopic(label.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
    await createTopic(plain(), topic);
    app = await startApp(yamlFor(listener, topic, mechanism));
    const started = performance.now();
    await postAlerts(app, 0, 20_000);
    await waitDelivered(app, 20_000, 120_000);
    const seconds = (performance.now() - started) / 1000;
    const health = kafkaWorker(app).healthSnapshot();
    expect(health).toMatchObject({ state: 'ok', delivered: 20_000, deadLettered: 0, dropped: 0 });
    const records = await readTopic(plain(), topic);
    expect(records).toHaveLength(20_000);
    checkRecords(records, 0, 20_000);
    expect(new Set(records.map((r) => r.partition)).size).toBe(3); // uuid keys spread over the partitions
    const batches = (await app.metrics.registry.getSingleMetric('peregrine_batch_alerts')?.get())?.values ?? [];
    const sends = batches.find((v) => (v as { metricName?: string }).metricName === 'peregrine_batch_alerts_count' && v.labels.output === 'kafka')?.value ?? 0;
    console.log(`kafka ${label}: 20000 alerts posted and acknowledged (acks=all) in ${seconds.toFixed(1)} s = ${Math.round(20_000 / seconds)} alerts/s; ${sends} produce requests (${(sends / 20_000).toFixed(4)} per alert)`);
  });

  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'])('compression %s: 2,000 alerts accepted by the broker and read back by a consumer', async (codec) => {
    const topic = uniqueTopic(`codec-${codec}`);
    await createTopic(plain(), topic);
    app = await startApp(yamlFor('plaintext', topic, undefined, `  compression: ${codec.toUpperCase()}\n`));
    await postAlerts(app, 0, 2_000);
    await waitDelivered(app, 2_000);
    expect(kafkaWorker(app).healthSnapshot()).toMatchObject({ state: 'ok', deadLettered: 0 });
    checkRecords(await readTopic(plain(), topic), 0, 2_000);
  });

  it('keyfield puts related alerts on one partition; partition pins them; topiccreation creates the topic', async () => {
    const topic = uniqueTopic('keyfield');
    await createTopic(plain(), topic);
    app = await startApp(yamlFor('plaintext', topic, undefined, '  keyfield: k8s.ns.name\n  balancer: crc32\n'));
    await postAlerts(app, 0, 300);
    await waitDelivered(app, 300);
    const records = await readTopic(plain(), topic);
    expect(new Set(records.map((r) => r.key))).toEqual(new Set(['default']));
    expect(new Set(records.map((r) => r.partition)).size).toBe(1);
    await app.stop();

    const pinned = uniqueTopic('pinned');
    await createTopic(plain(), pinned);
    app = await startApp(yamlFor('plaintext', pinned, undefined, '  partition: 2\n'));
    await postAlerts(app, 0, 300);
    await waitDelivered(app, 300);
    const got = await readTopic(plain(), pinned);
    checkRecords(got, 0, 300);
    expect(new Set(got.map((r) => r.partition))).toEqual(new Set([2]));
    await app.stop();

    const created = uniqueTopic('created'); // does not exist yet
    app = await startApp(yamlFor('plaintext', created, undefined, '  topiccreation: true\n'));
    await postAlerts(app, 0, 300);
    await waitDelivered(app, 300);
    checkRecords(await readTopic(plain(), created), 0, 300);
  });

  it('wrong SASL password (the seed block as is): clear error in logs and /healthz, no crash, alerts wait in the bounded queue', async () => {
    const lines: Array<{ level: number; msg: string; [k: string]: unknown }> = [];
    const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(JSON.parse(String(chunk))), cb()) });
    const seed = (parse(fixtureText('config/seed.yaml')) as { kafka: Record<string, unknown> }).kafka;
    expect(seed.password).toBe('password'); // not the broker's: exactly the wrong-password case
    const topic = uniqueTopic('badpass');
    await createTopic(plain(), topic);
    const block = { ...seed, hostport: infra.bootstrap.saslSsl, topic, queue: { maxalerts: 1500 }, retry: { initialbackoffms: 100, maxbackoffms: 1000 } };
    app = await startApp(`kafka: ${JSON.stringify(block)}\ntlsclient:\n  cacertfile: ${infra.caFile}\n`, {
      logger: pino({ level: 'info' }, sink),
    });
    await postAlerts(app, 0, 2_000);
    const worker = kafkaWorker(app);
    await waitUntil('the output to report failing', () => worker.healthSnapshot().state === 'failing' && worker.healthSnapshot().lastError !== undefined, 30_000);
    const res = await request(`${app.url}/healthz`);
    const body = (await res.body.json()) as { status: string; outputs: { kafka: { state: string; lastError: string; queued: number; dropped: number } } };
    expect(res.statusCode).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.outputs.kafka.state).toBe('failing');
    // The seed's password is the word "password": the secret scrubber hides that word wherever it appears.
    expect(body.outputs.kafka.lastError).toMatch(/authentication failed.*check kafka\.username \("falco"\), kafka\.(password|\*\*\*) and kafka\.sasl \(plain\)/i);
    expect(body.outputs.kafka.lastError).not.toContain('password"'); // never the value
    // Bounded: 2,000 posted into a 1,500 queue → 500 shed (counted), 1,500 waiting.
    expect(body.outputs.kafka.queued).toBe(1500);
    expect(body.outputs.kafka.dropped).toBe(500);
    const errorLog = lines.find((l) => l.level >= 50 && /cannot connect/.test(l.msg));
    expect(errorLog, JSON.stringify(lines.slice(0, 5))).toBeDefined();
    expect(JSON.stringify(errorLog)).toMatch(/SASL PLAIN authentication failed/);
    expect(JSON.stringify(lines)).not.toContain('"password"');
    expect(lines.some((l) => String(l.msg).includes('Authentication failed') && l.lib === 'kafkajs')).toBe(true);
    expect((await app.post(falcoAlertJson(99_999))).status).toBe(200); // still serving, still queueing
  });

  it('the falcosidekick block of test/fixtures/config/seed.yaml works unchanged (SASL PLAIN over TLS, gzip, async) with hostport and password from the environment', async () => {
    const seed = (parse(fixtureText('config/seed.yaml')) as { kafka: Record<string, unknown> }).kafka;
    const topic = seed.topic as string; // "falco-alerts": shared broker, so only count our own uuids
    await createTopic(plain(), topic).catch(() => {}); // exists already when the suite runs twice
    // The values a deployment injects (KAFKA_HOSTPORT / KAFKA_PASSWORD env vars, a Secret): the broker's
    // address and the password of its "falco" user. Everything else is the user's block as written.
    const block = { ...seed, hostport: infra.bootstrap.saslSsl, password: infra.password };
    app = await startApp(`kafka: ${JSON.stringify(block)}\ntlsclient:\n  cacertfile: ${infra.caFile}\n`);
    const from = 1_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
    await postAlerts(app, from, 1_000);
    await waitDelivered(app, 1_000);
    const ours = (await readTopic(plain(), topic)).filter((r) => {
      const i = Number(r.key.slice('alert-'.length));
      return i >= from && i < from + 1000;
    });
    checkRecords(ours, from, 1_000);
  });
});
