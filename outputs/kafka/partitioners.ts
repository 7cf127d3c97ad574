// falcosidekick's `balancer` values (kafka-go balancers) as kafkajs partitioners. Every message has a
// key (uuid or keyfield), so the "_random" variants, which differ only for messages without a key,
// behave like their keyed forms. A message that carries an explicit partition (the `partition`
// option) keeps it.
// murmur2 is computed here rather than by kafkajs' DefaultPartitioner, with the same result: kafkajs
// does its 32-bit arithmetic on 64-bit Long objects, ~6 KiB of garbage per message, 7 % of what a
// fan-out alert allocated (docs/performance-history.md, round 15). kafka.test.ts compares the two.
import { crc32 } from 'node:zlib';
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';
import type { Balancer } from './options.ts';

type Pick = (args: PartitionerArgs, ids: number[]) => number;

function valueLength(value: PartitionerArgs['message']['value']): number {
  if (value === null) return 0;
  return Buffer.isBuffer(value) ? value.length : Buffer.byteLength(value);
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** The key's UTF-8 bytes in a buffer reused from call to call (valid until the next call). */
function keyView(key: PartitionerArgs['message']['key']): Uint8Array {
  if (key === null || key === undefined) return scratch.subarray(0, 0);
  if (Buffer.isBuffer(key)) return key;
  if (key.length * 3 > scratch.length) scratch = new Uint8Array(key.length * 3);
  return scratch.subarray(0, encoder.encodeInto(key, scratch).written);
}

/** The Java client's murmur2 (Utils.murmur2, seed 0x9747b28c), as a signed 32-bit integer. */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const whole = length - (length % 4);
  for (let i = 0; i < whole; i += 4) {
    let k = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) | 0;
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  switch (length % 4) {
    case 3:
      h ^= data[whole + 2]! << 16;
    // falls through
    case 2:
      h ^= data[whole + 1]! << 8;
    // falls through
    case 1:
      h ^= data[whole]!;
      h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** FNV-1a 32-bit, as Go's hash/fnv New32a (kafka-go Hash balancer, sarama's default). */
export function fnv1a32(data: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const byte of data) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

function sortedIds(args: PartitionerArgs): number[] {
  return args.partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b);
}

function custom(pick: () => Pick): ICustomPartitioner {
  return () => {
    const choose = pick();
    return (args) => {
      if (args.message.partition !== undefined && args.message.partition !== null) return args.message.partition;
      const ids = sortedIds(args);
      return ids.length === 0 ? 0 : choose(args, ids);
    };
  };
}

const crc32Partitioner = custom(() => ({ message }, ids) => ids[crc32(keyView(message.key)) % ids.length]!);

// kafka-go: int32(sum) % n, negated when negative.
const hashPartitioner = custom(() => ({ message }, ids) => ids[Math.abs(fnv1a32(keyView(message.key)) | 0) % ids.length]!);

const roundRobinPartitioner = custom(() => {
  let next = 0;
  return (_args, ids) => ids[next++ % ids.length]!;
});

// kafka-go LeastBytes: the partition this writer has sent the fewest bytes to.
const leastBytesPartitioner = custom(() => {
  const sent = new Map<number, number>();
  return ({ message }, ids) => {
    let best = ids[0]!;
    for (const id of ids) if ((sent.get(id) ?? 0) < (sent.get(best) ?? 0)) best = id;
    sent.set(best, (sent.get(best) ?? 0) + valueLength(message.value) + keyView(message.key).length);
    return best;
  };
});

// kafkajs' DefaultPartitioner and the Java client's: the positive hash modulo the partition count.
const murmur2Partitioner: ICustomPartitioner = () => ({ message, partitionMetadata }) => {
  if (message.partition !== undefined && message.partition !== null) return message.partition;
  return (murmur2(keyView(message.key)) & 0x7fffffff) % partitionMetadata.length;
};

export function partitionerFor(balancer: Balancer): ICustomPartitioner {
  switch (balancer) {
    case 'murmur2':
    case 'murmur2_random':
      return murmur2Partitioner;
    case 'crc32':
    case 'crc32_random':
      return crc32Partitioner;
    case 'hash':
      return hashPartitioner;
    case 'round_robin':
      return roundRobinPartitioner;
    case 'least_bytes':
      return leastBytesPartitioner;
  }
}
