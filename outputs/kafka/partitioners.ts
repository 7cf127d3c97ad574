// falcosidekick's `balancer` values (kafka-go balancers) as kafkajs partitioners. Every message has a
// key (uuid or keyfield), so the "_random" variants, which differ only for messages without a key,
// behave like their keyed forms. A message that carries an explicit partition (the `partition`
// option) keeps it.
import { crc32 } from 'node:zlib';
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';
import type { Balancer } from './options.ts';

type Pick = (args: PartitionerArgs, ids: number[]) => number;

function keyBytes(key: PartitionerArgs['message']['key']): Buffer {
  if (key === null || key === undefined) return Buffer.alloc(0);
  return Buffer.isBuffer(key) ? key : Buffer.from(key);
}

function valueLength(value: PartitionerArgs['message']['value']): number {
  if (value === null) return 0;
  return Buffer.isBuffer(value) ? value.length : Buffer.byteLength(value);
}

/** FNV-1a 32-bit, as Go's hash/fnv New32a (kafka-go Hash balancer, sarama's default). */
export function fnv1a32(data: Buffer): number {
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

const crc32Partitioner = custom(() => ({ message }, ids) => ids[crc32(keyBytes(message.key)) % ids.length]!);

// kafka-go: int32(sum) % n, negated when negative.
const hashPartitioner = custom(() => ({ message }, ids) => ids[Math.abs(fnv1a32(keyBytes(message.key)) | 0) % ids.length]!);

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
    sent.set(best, (sent.get(best) ?? 0) + valueLength(message.value) + keyBytes(message.key).length);
    return best;
  };
});

/**
 * `murmur2` is kafkajs' DefaultPartitioner (the Java client's murmur2 on the key; honours
 * message.partition), passed in by the caller so that this module does not load kafkajs.
 */
export function partitionerFor(balancer: Balancer, murmur2: ICustomPartitioner): ICustomPartitioner {
  switch (balancer) {
    case 'murmur2':
    case 'murmur2_random':
      return murmur2;
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
