// Helpers for the kafka output's integration tests: topics, posting alert batches to Peregrine,
// waiting for delivery, and reading the topic back with a real consumer.
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import type { KafkaConfig } from 'kafkajs';
import { expect } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import type { RunningApp } from '../../support/app.ts';
import { registerCodecs } from '../../../outputs/kafka/codecs.ts';

const { Kafka, logLevel } = kafkajs;
type Conn = Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'>;
const quiet = { logLevel: logLevel.NOTHING, connectionTimeout: 5_000 } satisfies Partial<KafkaConfig>;

export function uniqueTopic(label: string): string {
  return `peregrine-${label}-${randomUUID().slice(0, 8)}`;
}

export async function createTopic(conn: Conn, topic: string, numPartitions = 3): Promise<void> {
  const admin = new Kafka({ clientId: 'it-admin', ...quiet, ...conn }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Posts alerts `from`..`from+count-1` as JSON arrays of `perPost`. */
export async function postAlerts(app: RunningApp, from: number, count: number, perPost = 500): Promise<void> {
  for (let start = from; start < from + count; start += perPost) {
    const n = Math.min(perPost, from + count - start);
    const body = `[${Array.from({ length: n }, (_, k) => falcoAlertJson(start + k)).join(',')}]`;
    const res = await app.post(body);
    expect(res.status, res.body).toBe(200);
  }
}

export function kafkaWorker(app: RunningApp) {
  const worker = app.workers.find((w) => w.name === 'kafka');
  if (!worker) throw new Error('kafka output is not enabled');
  return worker;
}

export async function waitUntil(what: string, cond: () => boolean, timeoutMs: number, describe: () => unknown = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(describe())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function waitDelivered(app: RunningApp, count: number, timeoutMs = 60_000): Promise<void> {
  const worker = kafkaWorker(app);
  await waitUntil(`${count} alerts delivered`, () => worker.healthSnapshot().delivered >= count, timeoutMs, () => worker.healthSnapshot());
}

export interface Record {
  key: string;
  value: string;
  partition: number;
  headers: { [k: string]: string };
}

/** Every record of `topic` (up to the high watermarks at call time), read by a fresh consumer group. */
export async function readTopic(conn: Conn, topic: string, timeoutMs = 60_000): Promise<Record[]> {
  registerCodecs(kafkajs.CompressionCodecs); // snappy/lz4/zstd on the consumer side too
  const client = new Kafka({ clientId: 'it-consumer', ...quiet, ...conn });
  const admin = client.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
  const got: Record[] = [];
  if (total === 0) return got;
  const consumer = client.consumer({ groupId: `it-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out: read ${got.length}/${total} records of ${topic}`)), timeoutMs);
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              const headers: { [k: string]: string } = {};
              for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = String(v);
              got.push({ key: m.key?.toString() ?? '', value: m.value?.toString() ?? '', partition: batch.partition, headers });
            }
            if (got.length >= total) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

/** Asserts records are exactly alerts from..from+count-1 once each (or counts duplicates when allowed). */
export function checkRecords(records: Record[], from: number, count: number, opts: { allowDuplicates?: boolean } = {}): { duplicates: number } {
  const seen = new Map<string, number>();
  for (const r of records) {
    const i = Number(/^alert-(\d+)$/.exec(r.key)?.[1] ?? NaN);
    expect(i >= from && i < from + count, `unexpected key ${r.key}`).toBe(true);
    seen.set(r.key, (seen.get(r.key) ?? 0) + 1);
    if (seen.get(r.key) === 1) {
      // The raw record text: big integers exactly as sent, never through a JS number.
      expect(r.value.includes(`"evt.time":${1700000000167531875n + BigInt(i)},`), `evt.time of ${r.key}`).toBe(true);
      expect(r.value.startsWith('{') && r.value.includes(`"uuid":"${r.key}"`)).toBe(true);
      expect(r.headers).toEqual({ priority: 'Notice', rule: 'Terminal shell in container', source: 'syscall' });
    }
  }
  const missing = count - seen.size;
  expect(missing, `${missing} alerts missing`).toBe(0);
  const duplicates = records.length - seen.size;
  if (!opts.allowDuplicates) expect(duplicates).toBe(0);
  return { duplicates };
}
