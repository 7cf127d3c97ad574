// Compression codecs for kafkajs without native addons: snappy (snappyjs), lz4 (lz4js), zstd (Node's
// built-in zlib). gzip is built into kafkajs. Registration mutates kafkajs' process-wide codec table,
// which is what kafkajs expects; doing it twice is harmless. kafkajs itself is not imported here: it
// loads only when the output connects (18 MiB of RSS otherwise).
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
// snappyjs and lz4js load on first use, not with the plugin: lz4js allocates 5 MiB of tables when it
// loads (~4 MiB of RSS in every daemon, Kafka on or not; docs/performance.md#idle-rss).
const require = createRequire(import.meta.url);
type Snappy = { compress(src: Uint8Array): Uint8Array; uncompress(src: Uint8Array): Uint8Array };
type Lz4 = {
  compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number;
  compressBound(n: number): number;
  decompress(src: Uint8Array): Uint8Array;
};
type Xxh32 = (seed: number, src: Uint8Array, index: number, length: number) => number;
let snappyLib: Snappy | undefined;
let lz4Lib: Lz4 | undefined;
let xxh32Fn: Xxh32 | undefined;
const snappy = (): Snappy => (snappyLib ??= require('snappyjs') as Snappy);
const lz4 = (): Lz4 => (lz4Lib ??= require('lz4js') as Lz4);
const xxh32: Xxh32 = (...args) => (xxh32Fn ??= (require('lz4js/xxh32.js') as { hash: Xxh32 }).hash)(...args);

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

// --- snappy: Kafka's Java client writes xerial framing; librdkafka and kafka-go read both it and raw
// snappy. We write xerial (what every consumer accepts) and read both.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER = 16; // magic(8) + version(4) + compatible version(4)
const XERIAL_BLOCK = 32 * 1024;

export function snappyCompress(src: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.concat([XERIAL_MAGIC, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])])];
  for (let i = 0; i < src.length; i += XERIAL_BLOCK) {
    const block = snappy().compress(src.subarray(i, i + XERIAL_BLOCK));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(block.length);
    parts.push(len, Buffer.from(block.buffer, block.byteOffset, block.length));
  }
  return Buffer.concat(parts);
}

export function snappyDecompress(src: Buffer): Buffer {
  if (src.length < XERIAL_HEADER || !src.subarray(0, 8).equals(XERIAL_MAGIC)) return Buffer.from(snappy().uncompress(src));
  const parts: Buffer[] = [];
  for (let i = XERIAL_HEADER; i < src.length; ) {
    const len = src.readUInt32BE(i);
    i += 4;
    parts.push(Buffer.from(snappy().uncompress(src.subarray(i, i + len))));
    i += len;
  }
  return Buffer.concat(parts);
}

// --- lz4: Kafka (record batch v2) uses the standard LZ4 frame format. lz4js' own frame writer shares
// its match table across blocks (linked blocks), which block-independent readers such as Kafka's Java
// client reject for multi-block frames, so we write the frame ourselves: 64 KiB independent blocks,
// as KafkaLZ4BlockOutputStream does. lz4js reads any frame.
const LZ4_MAGIC = 0x184d2204;
const LZ4_BLOCK = 64 * 1024;
const LZ4_FLG = 0x40 | 0x20; // version 01, block independence
const LZ4_BD = 4 << 4; // max block size 64 KiB

export function lz4Compress(src: Buffer): Buffer {
  const header = Buffer.alloc(7);
  header.writeUInt32LE(LZ4_MAGIC, 0);
  header[4] = LZ4_FLG;
  header[5] = LZ4_BD;
  header[6] = (xxh32(0, header, 4, 2) >>> 8) & 0xff;
  const parts: Buffer[] = [header];
  const scratch = new Uint8Array(lz4().compressBound(LZ4_BLOCK));
  for (let i = 0; i < src.length; i += LZ4_BLOCK) {
    const size = Math.min(LZ4_BLOCK, src.length - i);
    const size4 = Buffer.alloc(4);
    const n = lz4().compressBlock(src, scratch, i, size, new Uint32Array(1 << 16));
    if (n === 0 || n >= size) {
      size4.writeUInt32LE((0x80000000 | size) >>> 0);
      parts.push(size4, src.subarray(i, i + size));
    } else {
      size4.writeUInt32LE(n);
      parts.push(size4, Buffer.from(scratch.subarray(0, n)));
    }
  }
  parts.push(Buffer.alloc(4)); // end mark
  return Buffer.concat(parts);
}

export function lz4Decompress(src: Buffer): Buffer {
  const out = lz4().decompress(src);
  return Buffer.from(out.buffer, out.byteOffset, out.length);
}

// --- zstd: built into Node 22.15+/23.8+ (experimental there, stable in 24).
const zstdCompress = promisify(zlib.zstdCompress);
const zstdDecompress = promisify(zlib.zstdDecompress);

const codecs: Record<'snappy' | 'lz4' | 'zstd', Codec> = {
  snappy: { compress: async (e) => snappyCompress(e.buffer), decompress: async (b) => snappyDecompress(b) },
  lz4: { compress: async (e) => lz4Compress(e.buffer), decompress: async (b) => lz4Decompress(b) },
  zstd: { compress: (e) => zstdCompress(e.buffer), decompress: (b) => zstdDecompress(b) },
};

// Kafka's record-batch codec ids (the attributes field), the values of kafkajs' CompressionTypes.
export const COMPRESSION_TYPE = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

/** Registers snappy, lz4 and zstd in kafkajs' `CompressionCodecs` table (producer and consumer side). */
export function registerCodecs(compressionCodecs: unknown): void {
  const table = compressionCodecs as Record<number, () => Codec>;
  table[COMPRESSION_TYPE.snappy] = () => codecs.snappy;
  table[COMPRESSION_TYPE.lz4] = () => codecs.lz4;
  table[COMPRESSION_TYPE.zstd] = () => codecs.zstd;
}
