// Unit tests of the kafka output: options (falcosidekick spellings, the seed block), records (key,
// headers, lossless value), partitioners, codecs, error classification, the deadline race and log routing.
import { systemClock } from '../../src/dispatch/clock.ts';
import { Writable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import type { PartitionerArgs } from 'kafkajs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { parseJson } from '../../src/alert/json.ts';
import { toAlert, type Alert, type AlertInput } from '../../src/alert/alert.ts';
import { outputs } from '../../test/support/outputs.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { flush } from '../../test/support/fake-clock.ts';
import { fixtureText } from '../../test/support/fixtures.ts';
import kafka, { type KafkaClient } from './index.ts';
import { classifyKafkaError } from './classify.ts';
import { COMPRESSION_TYPE, lz4Compress, lz4Decompress, registerCodecs, snappyCompress, snappyDecompress } from './codecs.ts';
import { logLevel as kafkaLevels, pinoLogCreator } from './log.ts';
import { messageKey, toMessage } from './messages.ts';
import { kafkaSchema, parseSasl, type KafkaOptions } from './options.ts';
import { fnv1a32, murmur2, partitionerFor } from './partitioners.ts';

const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSSASLAuthenticationError, logLevel, CompressionCodecs } = kafkajs;

// kafkajs' typings do not list the constructor arguments its code takes.
type AnyCtor = new (...args: unknown[]) => Error;
const saslError = (message: string) => new (KafkaJSSASLAuthenticationError as unknown as AnyCtor)(message);
const protocolError = (type: string, message: string, retriable: boolean) =>
  new (KafkaJSProtocolError as unknown as AnyCtor)({ message, type, code: 0, retriable });
const retriesExceeded = (cause: Error) => new (KafkaJSNumberOfRetriesExceeded as unknown as AnyCtor)(cause, { retryCount: 0, retryTime: 1 });

function loadYaml(yaml: string, env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-kafka-'));
  writeFileSync(join(dir, 'peregrine.yaml'), yaml);
  return loadConfig({ file: join(dir, 'peregrine.yaml'), env, plugins: outputs, cwd: dir });
}

function alert(i = 1, extra: Partial<AlertInput> = {}): Alert {
  return toAlert({ ...(parseJson(falcoAlertJson(i)) as AlertInput), ...extra });
}

const opts = (o: Record<string, unknown> = {}): KafkaOptions => kafkaSchema.parse({ hostport: 'k:9092', topic: 't', ...o });

describe('kafka options', () => {
  it('loads the falcosidekick block of test/fixtures/config/seed.yaml unchanged', () => {
    const loaded = loadYaml(fixtureText('config/seed.yaml'));
    expect(loaded.enabled).toContain('kafka');
    expect(loaded.config.kafka).toMatchObject({
      hostport: 'kafka-bootstrap:9092',
      topic: 'falco-alerts',
      partition: 0,
      sasl: 'plain',
      username: 'falco',
      password: 'password',
      tls: true,
      compression: 'gzip',
      async: true,
      requiredacks: 'all',
      balancer: 'murmur2',
      minimumpriority: '',
    });
  });

  it('accepts falcosidekick SASL spellings in any case', () => {
    for (const [given, want] of [
      ['plain', 'plain'],
      ['PLAIN', 'plain'],
      ['scram_sha256', 'scram-sha-256'],
      ['SCRAM_SHA256', 'scram-sha-256'],
      ['SCRAM-SHA-256', 'scram-sha-256'],
      ['scram_sha512', 'scram-sha-512'],
      ['SCRAM-SHA-512', 'scram-sha-512'],
      ['', ''],
    ]) {
      expect(parseSasl(given!), given).toBe(want);
      expect(opts({ sasl: given }).sasl).toBe(want);
    }
    expect(() => opts({ sasl: 'gssapi' })).toThrow(/plain, scram_sha256 or scram_sha512/);
  });

  it('maps requiredacks, defaults to ALL, and rejects unknown values', () => {
    expect(opts().requiredacks).toBe('all');
    expect(opts({ requiredacks: 'NONE' }).requiredacks).toBe('none');
    expect(opts({ requiredacks: 'Leader' }).requiredacks).toBe('leader');
    expect(() => opts({ requiredacks: 'two' })).toThrow(/NONE, ONE/);
  });

  it('validates compression, balancer and hostport', () => {
    for (const c of ['none', 'GZIP', 'snappy', 'lz4', 'zstd', '']) expect(() => opts({ compression: c })).not.toThrow();
    expect(() => opts({ compression: 'brotli' })).toThrow(/none, gzip, snappy, lz4, zstd/);
    expect(opts({ balancer: 'Round_Robin' }).balancer).toBe('round_robin');
    expect(() => opts({ balancer: 'sticky' })).toThrow(/murmur2/);
    expect(() => opts({ hostport: 'a:1, b:2' })).not.toThrow();
    expect(() => opts({ hostport: 'http://a:9092' })).toThrow(/host:port/);
  });

  it('takes the SASL keys from the environment (KAFKA_SASL, KAFKA_PASSWORD)', () => {
    const loaded = loadYaml('kafka:\n  hostport: "127.0.0.1:9092"\n  topic: t\n', { KAFKA_SASL: 'SCRAM-SHA-512', KAFKA_USERNAME: 'u', KAFKA_PASSWORD: 's3cret', KAFKA_PARTITION: '2' });
    expect(loaded.config.kafka).toMatchObject({ sasl: 'scram-sha-512', username: 'u', password: 's3cret', partition: 2 });
  });

  it('is on with hostport; a missing topic is a config error, not a silently disabled output', () => {
    expect(kafka.enabled(opts())).toBe(true);
    expect(kafka.enabled(kafkaSchema.parse({}))).toBe(false);
    expect(kafka.enabled(opts({ topic: '' }))).toBe(true);
    expect(kafka.validate?.(opts({ topic: '' }))).toEqual([{ path: 'topic', message: expect.stringContaining('kafka.topic is empty') }]);
    expect(kafka.validate?.(opts())).toEqual([]);
  });
});

describe('kafka records', () => {
  it('value is the alert JSON with big integers intact; key is the uuid; headers carry priority, rule, source', () => {
    const a = alert(7);
    const m = toMessage(a, opts());
    expect(m.value).toContain('"evt.time":1700000000167531882');
    expect(m.key).toBe('alert-7');
    expect(m.headers).toEqual({ priority: 'Notice', rule: 'Terminal shell in container', source: 'syscall' });
    expect(m.partition).toBeUndefined();
  });

  it('keys by a chosen field, falling back to the uuid', () => {
    expect(messageKey(alert(1), 'k8s.ns.name')).toBe('default');
    expect(messageKey(alert(1), 'evt.time')).toBe('1700000000167531876');
    expect(messageKey(alert(1), 'proc.aname[2]')).toBe('alert-1'); // null
    expect(messageKey(alert(1), 'hostname')).toBe('node-1');
    expect(messageKey(alert(1), 'no.such.field')).toBe('alert-1');
  });

  it('pins the partition only when partition > 0 (0 = unset, as in falcosidekick)', () => {
    expect(toMessage(alert(), opts({ partition: 0 })).partition).toBeUndefined();
    expect(toMessage(alert(), opts({ partition: 3 })).partition).toBe(3);
  });
});

describe('kafka partitioners', () => {
  const meta = [2, 0, 1].map((partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 1, replicas: [1], isr: [1], offlineReplicas: [] }));
  const args = (key: string, value = 'v', partition?: number): PartitionerArgs => ({ topic: 't', partitionMetadata: meta, message: { key, value, partition } });

  it('FNV-1a matches Go hash/fnv', () => {
    expect(fnv1a32(Buffer.alloc(0))).toBe(0x811c9dc5);
    expect(fnv1a32(Buffer.from('a'))).toBe(0xe40c292c);
    expect(fnv1a32(Buffer.from('foobar'))).toBe(0xbf9cf968);
  });

  it('murmur2 picks the partition kafkajs\' DefaultPartitioner picks, for any key and partition count', () => {
    const theirs = kafkajs.Partitioners.DefaultPartitioner();
    const ours = partitionerFor('murmur2')();
    const chars = 'abcXYZ019-_.:/ éü漢字🦅';
    let compared = 0;
    for (let n = 0; n < 3000; n++) {
      const length = n % 97;
      let key = '';
      for (let i = 0; i < length; i++) key += [...chars][(n * 31 + i * 7 + ((n * i) % 13)) % [...chars].length];
      const keys = [key, randomUUID(), Buffer.from(key)];
      for (const k of keys) {
        const partitions = 1 + (n % 13);
        const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 1, replicas: [1], isr: [1], offlineReplicas: [] }));
        const a: PartitionerArgs = { topic: 't', partitionMetadata, message: { key: k, value: 'v' } };
        expect(ours(a), `key ${JSON.stringify(String(k))}, ${partitions} partitions`).toBe(theirs(a));
        compared++;
      }
    }
    expect(compared).toBe(9000);
    // The Java client's Utils.murmur2 on these keys (its own test vectors).
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(Buffer.from([97, 98, 99]))).toBe(479470107);
  });

  it('keyed balancers are deterministic and explicit partitions win', () => {
    for (const b of ['murmur2', 'crc32', 'hash', 'round_robin', 'least_bytes'] as const) {
      const p = partitionerFor(b)();
      expect(p(args('x', 'v', 2)), b).toBe(2);
    }
    for (const b of ['murmur2', 'crc32', 'hash'] as const) {
      const p = partitionerFor(b)();
      const first = p(args('default'));
      for (let i = 0; i < 5; i++) expect(p(args('default')), b).toBe(first);
    }
    expect(partitionerFor('crc32')()(args('default'))).toBe(zlib.crc32('default') % 3);
  });

  it('round_robin cycles and least_bytes evens out bytes', () => {
    const rr = partitionerFor('round_robin')();
    expect([0, 1, 2, 3].map(() => rr(args('k')))).toEqual([0, 1, 2, 0]);
    const lb = partitionerFor('least_bytes')();
    expect([lb(args('k', 'x'.repeat(100))), lb(args('k', 'x')), lb(args('k', 'x')), lb(args('k', 'x'))]).toEqual([0, 1, 2, 1]);
  });
});

describe('kafka codecs', () => {
  const text = Buffer.from(Array.from({ length: 300 }, (_, i) => falcoAlertJson(i)).join('\n'));
  const require = createRequire(import.meta.url);

  it('snappy writes xerial framing and reads both xerial and raw snappy', () => {
    const packed = snappyCompress(text);
    expect(packed.subarray(0, 8).toString('latin1')).toBe('\x82SNAPPY\x00');
    expect(packed.length).toBeLessThan(text.length / 2);
    expect(snappyDecompress(packed).equals(text)).toBe(true);
    const raw = Buffer.from((require('snappyjs') as { compress(b: Buffer): Uint8Array }).compress(text));
    expect(snappyDecompress(raw).equals(text)).toBe(true);
  });

  it('lz4 writes an LZ4 frame with independent 64 KiB blocks and a valid header checksum', () => {
    const packed = lz4Compress(text);
    expect(packed.readUInt32LE(0)).toBe(0x184d2204);
    expect(packed[4]).toBe(0x60);
    expect(packed[5]).toBe(0x40);
    expect(text.length).toBeGreaterThan(64 * 1024); // several blocks
    expect(lz4Decompress(packed).equals(text)).toBe(true);
    const lz4js = require('lz4js') as { compress(b: Buffer): Uint8Array };
    expect(lz4Decompress(Buffer.from(lz4js.compress(text))).equals(text)).toBe(true);
    expect(lz4Decompress(lz4Compress(Buffer.alloc(0))).length).toBe(0);
  });

  it('spells out the same codec ids and log levels as kafkajs (so that kafkajs loads only on connect)', () => {
    expect(COMPRESSION_TYPE).toEqual({ none: kafkajs.CompressionTypes.None, gzip: kafkajs.CompressionTypes.GZIP, snappy: kafkajs.CompressionTypes.Snappy, lz4: kafkajs.CompressionTypes.LZ4, zstd: kafkajs.CompressionTypes.ZSTD });
    expect(kafkaLevels).toEqual({ NOTHING: logLevel.NOTHING, ERROR: logLevel.ERROR, WARN: logLevel.WARN, INFO: logLevel.INFO, DEBUG: logLevel.DEBUG });
  });

  it('registers snappy, lz4 and zstd with kafkajs; zstd is Node zlib', async () => {
    registerCodecs(CompressionCodecs);
    const table = CompressionCodecs as unknown as Record<number, () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }>;
    for (const type of [COMPRESSION_TYPE.snappy, COMPRESSION_TYPE.lz4, COMPRESSION_TYPE.zstd]) {
      const codec = table[type]!();
      expect((await codec.decompress(await codec.compress({ buffer: text }))).equals(text)).toBe(true);
    }
    const zstd = await table[COMPRESSION_TYPE.zstd]!().compress({ buffer: text });
    expect((await promisify(zlib.zstdDecompress)(zstd)).equals(text)).toBe(true);
  });
});

describe('kafka error classification', () => {
  const hint = { username: 'falco', sasl: 'plain' };

  it('SASL failures are credential refusals (auth retry), without the password', () => {
    const err = saslError('SASL PLAIN authentication failed: Authentication failed: Invalid username or password');
    const o = classifyKafkaError(err, 10, hint);
    expect(o).toMatchObject({ kind: 'retry', auth: true });
    expect(o.kind === 'retry' && o.reason).toMatch(/Invalid username or password.*kafka\.username \("falco"\)/);
    const denied = protocolError('TOPIC_AUTHORIZATION_FAILED', 'Not authorized to access topics', false);
    expect(classifyKafkaError(denied, 1, hint)).toMatchObject({ kind: 'retry', auth: true });
  });

  it('a thrown KafkaJSError (connection, retries exceeded) is a retry', () => {
    const conn = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    expect(classifyKafkaError(conn, 5, hint)).toMatchObject({ kind: 'retry', reason: expect.stringContaining('ECONNREFUSED') });
    const wrapped = retriesExceeded(protocolError('NOT_LEADER_FOR_PARTITION', 'Not leader', true));
    expect(classifyKafkaError(wrapped, 5, hint)).toMatchObject({ kind: 'retry', reason: 'NOT_LEADER_FOR_PARTITION: Not leader' });
  });

  it('a record the broker will never take fails alone; in a batch it asks for a smaller batch', () => {
    const big = protocolError('MESSAGE_TOO_LARGE', 'too large', false);
    expect(classifyKafkaError(big, 1, hint)).toMatchObject({ kind: 'fail' });
    expect(classifyKafkaError(big, 50, hint)).toMatchObject({ kind: 'retry', reason: expect.stringContaining('batch.maxbytes') });
    const missing = protocolError('UNKNOWN_TOPIC_OR_PARTITION', 'unknown topic', true);
    expect(classifyKafkaError(missing, 5, hint)).toMatchObject({ kind: 'retry', reason: expect.stringContaining('topiccreation') });
  });
});

describe('kafka sendBatch', () => {
  const log = pino({ level: 'silent' });
  function client(send: () => Promise<unknown>): KafkaClient {
    return { producer: { send } as unknown as KafkaClient['producer'], admin: {} as KafkaClient['admin'], acks: -1, compression: 0, timeoutMs: 1000 };
  }

  it('a hung broker cannot hold the worker past the deadline', async () => {
    const controller = new AbortController();
    const never = new Promise<never>(() => {});
    setTimeout(() => controller.abort(new Error('timed out after 50 ms')), 50);
    const result = await kafka.sendBatch([alert()], { options: opts(), client: client(() => never), signal: controller.signal, log, clock: systemClock });
    expect(result).toMatchObject({ kind: 'retry', reason: expect.stringMatching(/timed out after 50 ms.*duplicate/) });
  });

  it('an abandoned send that fails later is not an unhandled rejection', async () => {
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    let rejectLater: (e: Error) => void = () => {};
    const later = new Promise<never>((_r, reject) => (rejectLater = reject));
    const result = await kafka.sendBatch([alert()], { options: opts(), client: client(() => later), signal: controller.signal, log, clock: systemClock });
    expect(result.kind).toBe('retry');
    rejectLater(new Error('late failure'));
    await flush(); // an unhandled rejection would be reported once the microtasks and the next turns have run
  });

  it('passes topic, acks, compression and timeout; ok on success; KafkaJSError → retry', async () => {
    const calls: unknown[] = [];
    const c = client(async () => {
      calls.push('x');
      return [];
    });
    c.producer.send = (async (record: unknown) => {
      calls.push(record);
      return [];
    }) as KafkaClient['producer']['send'];
    const signal = new AbortController().signal;
    expect(await kafka.sendBatch([alert(1), alert(2)], { options: opts(), client: c, signal, log, clock: systemClock })).toEqual({ kind: 'ok' });
    expect(calls[0]).toMatchObject({ topic: 't', acks: -1, compression: 0, timeout: 1000, messages: [{ key: 'alert-1' }, { key: 'alert-2' }] });
    const failing = client(() => Promise.reject(new KafkaJSConnectionError('Connection error: socket hang up')));
    expect(await kafka.sendBatch([alert()], { options: opts(), client: failing, signal, log, clock: systemClock })).toMatchObject({ kind: 'retry', reason: expect.stringContaining('socket hang up') });
  });
});

describe('kafkajs logs', () => {
  it('go to the output logger one level lower, never the console', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), cb()) });
    const log = pino({ level: 'trace' }, sink);
    const write = pinoLogCreator(log)(logLevel.DEBUG);
    const entry = (level: number, message: string) => ({ namespace: 'Connection', level, label: '', log: { timestamp: 'x', logger: 'kafkajs', message, broker: 'b:1' } });
    write(entry(logLevel.ERROR, 'Connection error'));
    write(entry(logLevel.INFO, 'Starting'));
    write(entry(logLevel.DEBUG, 'Request'));
    expect(lines.map((l) => [l.level, l.msg, l.kafkajs, l.broker, l.lib])).toEqual([
      [40, 'Connection error', 'Connection', 'b:1', 'kafkajs'],
      [20, 'Starting', 'Connection', 'b:1', 'kafkajs'],
      [10, 'Request', 'Connection', 'b:1', 'kafkajs'],
    ]);
  });
});
