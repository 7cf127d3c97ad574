// An alert's JSON held deflated, for alerts deep in a memory-only backlog (dispatch/queue.ts): an
// output that is down keeps up to queue.maxbytes of alerts in memory, and its JSON is most of that.
//
// Alerts of one stream repeat each other (the same keys, rules, hosts, output formats), but one
// alert alone deflates poorly (~1.6×). So each is deflated against a recent alert's JSON as the
// dictionary: the first alert packed, and every DICTIONARY_EVERY-th after it, so the dictionary
// follows the traffic. Alerts with random ids and varied rules come out ~4.4× smaller; the bench's
// near-identical ones ~27× (bench/packed.ts). Each costs ~15 µs to pack and ~7 µs to unpack, paid
// only by alerts queued this deep. The packed bytes are kept as a latin1 string (one char per byte):
// a plain V8 string, without a Buffer's object and its backing store.
//
// Every output that packs the same alert shares one PackedJson (as serializeAlert shares the JSON),
// so an alert stalled on five outputs is held once.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Alert } from './alert.ts';
import { serializeAlert } from './serialize.ts';

/** A new dictionary every this many packed alerts. */
const DICTIONARY_EVERY = 256;
/** A 4 KiB window: an alert's JSON is about 1 KiB, and zlib sets a smaller window up faster per call. */
const ZLIB = { windowBits: 12, memLevel: 4 } as const;

export class PackedJson {
  private readonly bytes: string;
  private readonly dictionary: Buffer;

  constructor(json: string, dictionary: Buffer) {
    this.bytes = deflateRawSync(json, { ...ZLIB, dictionary }).toString('latin1');
    this.dictionary = dictionary;
  }

  /** The JSON as it was packed, character for character. */
  unpack(): string {
    return inflateRawSync(Buffer.from(this.bytes, 'latin1'), { windowBits: ZLIB.windowBits, dictionary: this.dictionary }).toString('utf8');
  }

  /** Bytes held for the packed JSON (for tests and benches). */
  get size(): number {
    return this.bytes.length;
  }
}

const cache = new WeakMap<Alert, PackedJson>();
let dictionary: Buffer | undefined;
let packed = 0;

/** The alert's JSON packed; the same PackedJson for every caller while the alert lives. */
export function packAlert(alert: Alert): PackedJson {
  let p = cache.get(alert);
  if (p === undefined) {
    const json = serializeAlert(alert);
    if (dictionary === undefined || packed % DICTIONARY_EVERY === 0) dictionary = Buffer.from(json);
    packed++;
    p = new PackedJson(json, dictionary);
    cache.set(alert, p);
  }
  return p;
}
