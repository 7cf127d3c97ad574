// kafkajs' grouping of a send's messages by partition, as patches/kafkajs+2.2.4.patch leaves it:
// each message appended to its partition's list in place. As published, every message copied its
// partition's whole list into a new array (n²/2 element copies and n arrays for n messages to one
// partition: ~2.4 KiB of garbage per alert at 200 records per send, docs/performance-history.md, round 32).
// The first test fails without the patch; the second checks the grouping itself.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

interface Message {
  key: string;
}
type Partitioner = (args: { topic: string; partitionMetadata: unknown[]; message: Message }) => number;
const group = require('kafkajs/src/producer/groupMessagesPerPartition.js') as (args: {
  topic: string;
  partitionMetadata: unknown[];
  messages: Message[];
  partitioner: Partitioner;
}) => Record<number, Message[]>;

const partitionMetadata = [{ partitionId: 0 }, { partitionId: 1 }, { partitionId: 2 }];
const messages = Array.from({ length: 200 }, (_, i) => ({ key: `k${i}` }));

describe('kafkajs groupMessagesPerPartition (patched)', () => {
  it('walks the messages once instead of copying a partition list per message', () => {
    // A spread or a for…of takes an array iterator; the published reduce spread the partition's
    // list for every message. Counting the iterators taken counts the copies.
    const original = Array.prototype[Symbol.iterator];
    let iterators = 0;
    Array.prototype[Symbol.iterator] = function (this: unknown[]) {
      iterators++;
      return original.call(this);
    };
    try {
      group({ topic: 't', partitionMetadata, messages, partitioner: () => 0 });
    } finally {
      Array.prototype[Symbol.iterator] = original;
    }
    expect(iterators).toBeLessThanOrEqual(1); // published: 200
  });

  it('keeps each partition’s messages in send order, keyed by partition', () => {
    const partitioner: Partitioner = ({ message }) => Number(message.key.slice(1)) % 3;
    const grouped = group({ topic: 't', partitionMetadata, messages, partitioner });
    expect(Object.keys(grouped)).toEqual(['0', '1', '2']);
    for (const p of [0, 1, 2]) expect(grouped[p]).toEqual(messages.filter((_, i) => i % 3 === p));
    expect(grouped[0]?.[0]).toBe(messages[0]); // the messages themselves, not copies
    expect(group({ topic: 't', partitionMetadata: [], messages, partitioner })).toEqual({});
  });
});
