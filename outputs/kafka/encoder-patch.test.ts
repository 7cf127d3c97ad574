// kafkajs' Encoder as patches/kafkajs+2.2.4.patch leaves it (applied by `npm ci`'s postinstall):
// buffers without zero-fill that grow to what is needed, varints written in place. The first test
// fails when the patch is not applied; the others check that what the patched Encoder writes is still
// what Kafka reads: varints against the protocol's zigzag LEB128, and a record batch of varied records
// read back by kafkajs' own decoder. The broker's CRC check of real produce requests is
// test/integration/kafka's.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

interface Encoder {
  buf: Buffer;
  buffer: Buffer;
  writeVarInt(value: number): Encoder;
  writeBuffer(value: Buffer): Encoder;
}
interface DecodedRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}
type EncoderClass = new (initialSize?: number) => Encoder;
const Encoder = require('kafkajs/src/protocol/encoder.js') as EncoderClass;
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (record: object) => Encoder;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch(batch: object): Promise<Encoder> };
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (decoder: unknown) => Promise<{ records: DecodedRecord[] }>;

/** Kafka's varint: zigzag, then 7 bits per byte, low first, the high bit set on all but the last. */
function varint(value: number): number[] {
  let rest = BigInt.asUintN(32, (BigInt(value) << 1n) ^ (BigInt(value) >> 31n));
  const bytes: number[] = [];
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

describe('kafkajs Encoder, as patched', () => {
  it('grows a buffer to the size needed, not to the next power of two past it', () => {
    const encoder = new Encoder().writeBuffer(Buffer.alloc(5000, 1));
    // Unpatched: 8192.
    expect(encoder.buf.length).toBe(5000);
    // Then it doubles, as before.
    encoder.writeBuffer(Buffer.alloc(1, 2));
    expect(encoder.buf.length).toBe(10_000);
    expect(encoder.buffer).toEqual(Buffer.concat([Buffer.alloc(5000, 1), Buffer.alloc(1, 2)]));
  });

  it('writes varints as the protocol defines them, across every length', () => {
    const values = [0, 1, -1, 63, -64, 64, -65, 127, 128, 300, -300, 8191, 8192, 16_383, 16_384, 1_048_575, 1_048_576, 2 ** 28 - 1, 2 ** 28, 2 ** 31 - 1, -(2 ** 31)];
    for (const value of values) {
      // A small first buffer, so that a varint also lands across a growth.
      const encoder = new Encoder(1).writeBuffer(Buffer.from([0xaa])).writeVarInt(value);
      expect([...encoder.buffer], String(value)).toEqual([0xaa, ...varint(value)]);
    }
  });

  it('encodes a record batch that kafkajs reads back byte for byte', async () => {
    const records = [
      { key: 'a-uuid', value: '{"rule":"Terminal shell in container"}', headers: { priority: 'Notice', rule: 'r', source: 'syscall' } },
      // Larger than Node's buffer pool hands out (4 KiB): its own allocation, grown several times.
      { key: 'big', value: `{"output":"${'x'.repeat(70_000)}"}`, headers: { priority: 'Critical' } },
      { key: 'ünïcödé 🔒', value: '{"output":"naïve \\u0000 🚨"}', headers: {} },
      { key: null, value: '', headers: { empty: '' } },
    ];
    const batch = await RecordBatch({ records: records.map((r, i) => Record({ ...r, offsetDelta: i })), lastOffsetDelta: records.length - 1 });
    const decoded = await decodeBatch(new Decoder(batch.buffer));
    expect(
      decoded.records.map((r) => ({
        key: r.key === null ? null : r.key.toString(),
        value: r.value?.toString() ?? '',
        headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, v.toString()])),
      })),
    ).toEqual(records);
  });
});
