// Alerts' JSON held in memory, packed. With the spool off, an alert queued deep in a backlog (a
// destination down, src/dispatch/cold-block.ts) is held as its JSON, ~600 bytes for a Falco alert,
// and so is each alert of the delivery trail (src/trail/memory-store.ts, through the Packer below).
// Here those JSONs are deflated in blocks of up to PACK_ALERTS, one zlib call per block: Falco alerts
// repeat their rules, hosts and field names, so a block of 64 varied alerts comes to ~70 bytes each
// (8×), for ~4 µs of CPU per alert to pack and ~2 µs to unpack on a 2-vCPU EPYC
// (bench/packed-backlog.ts, docs/performance-history.md, round 21). Deflating alerts one by one cost ~30 µs
// each in the daemon: zlib sets up a stream per call (round 17).
//
// The deflate runs on the event loop, ~0.1–0.3 ms per block, after the I/O of the turn whose alert
// filled the block (setImmediate). Run in that alert's request, it raised the daemon's p99 with a
// stalled output by 0.1–0.2 ms. On libuv's thread pool (zlib's async API) it took as much of the event loop
// (1.4–1.6 against 1.7–2.0 µs per alert, its stream's events) and two to three times the CPU in all
// (round 21). Until its block is made, an entry keeps its JSON.
//
// A block is read back whole when the first of its alerts is taken; the last block read stays
// unpacked, so a batch taken from the head unpacks each block once.
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';

/** Alerts per block: beyond 64, a block packs ~5 % smaller and waits longer to fill. */
export const PACK_ALERTS = 64;
/** A block is also sealed at this many characters of JSON, so large alerts make small blocks. */
export const PACK_CHARS = 64 * 1024;
/** JSON.stringify never writes a raw newline (it escapes them in strings): it parts the JSONs. */
const SEPARATOR = '\n';
const NEWLINE = 0x0a;

/** The deflated JSON of a block of alerts. */
export class PackedBlock {
  /** The block read back last: its JSON and where each alert's starts, one block held at a time. */
  private static unpacked: { block: PackedBlock; text: Buffer; starts: number[] } | undefined;
  private readonly data: Uint8Array;
  /**
   * The alerts' uuids, when asked for: a full queue sheds from its tail and the trail names each alert
   * shed, which would otherwise unpack a block per few alerts shed. The trail's own records keep their
   * uuid. As 16 bytes each when every uuid of the block is in the canonical form ingest gives
   * (randomUUID()), else one per line in a string of its own (~37 bytes each).
   */
  private readonly uuids: Uint8Array | string | undefined;

  /** `json`: each without a newline (as JSON.stringify writes it). */
  constructor(json: readonly string[], keepUuids = true) {
    // Copied to a buffer of its own size: zlib's result is a slice of a 16 KiB chunk.
    this.data = new Uint8Array(deflateRawSync(json.join(SEPARATOR), { level: constants.Z_BEST_SPEED }));
    this.uuids = keepUuids ? packUuids(json.map(leadingUuid)) : undefined;
  }

  /** Bytes held. */
  get size(): number {
    return this.data.byteLength;
  }

  /** The uuid of the alert at `slot`, when its JSON starts with it and the block kept uuids. */
  uuid(slot: number): string | undefined {
    if (this.uuids === undefined) return undefined;
    if (typeof this.uuids !== 'string') return uuidAt(this.uuids, slot);
    let start = 0;
    for (let i = 0; i < slot; i++) start = this.uuids.indexOf(SEPARATOR, start) + 1;
    const end = this.uuids.indexOf(SEPARATOR, start);
    const uuid = this.uuids.slice(start, end === -1 ? undefined : end);
    return uuid === '' ? undefined : uuid;
  }

  /**
   * The JSON of the alert at `slot`, as it was given: a string of its own, not a slice of the block's
   * text, which it would keep alive.
   */
  json(slot: number): string {
    let unpacked = PackedBlock.unpacked;
    if (unpacked?.block !== this) {
      const text = inflateRawSync(this.data);
      const starts = [0];
      for (let at = text.indexOf(NEWLINE); at !== -1; at = text.indexOf(NEWLINE, at + 1)) starts.push(at + 1);
      starts.push(text.length + 1);
      unpacked = { block: this, text, starts };
      PackedBlock.unpacked = unpacked;
    }
    const { text, starts } = unpacked;
    return text.toString('utf8', starts[slot], (starts[slot + 1] as number) - 1);
  }
}

/**
 * The uuid an alert's JSON starts with, or '' (toAlert puts uuid first, and the uuid's characters need
 * no escaping).
 */
export function leadingUuid(json: string): string {
  return json.startsWith('{"uuid":"') ? json.slice(9, json.indexOf('"', 9)) : '';
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_BYTES = 16;

/** The uuids as 16 bytes each when all are canonical (lowercase, dashed), else one per line. */
function packUuids(uuids: readonly string[]): Uint8Array | string {
  if (!uuids.every((uuid) => CANONICAL_UUID.test(uuid))) return uuids.join(SEPARATOR);
  const bytes = new Uint8Array(uuids.length * UUID_BYTES);
  uuids.forEach((uuid, i) => bytes.set(Buffer.from(uuid.replaceAll('-', ''), 'hex'), i * UUID_BYTES));
  return bytes;
}

function uuidAt(bytes: Uint8Array, slot: number): string | undefined {
  if ((slot + 1) * UUID_BYTES > bytes.length) return undefined;
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset + slot * UUID_BYTES, UUID_BYTES).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What the packer needs of what holds an alert's JSON (a trail record). */
export interface Packable {
  /** The JSON it holds, or undefined when it holds anything else (its alert, a spool id, a block). */
  heldJson(): string | undefined;
  /** From now on it holds its JSON as `slot` of `block`. */
  pack(block: PackedBlock, slot: number): void;
}

export interface PackerOptions<T extends Packable> {
  /** JSONs per block (default PACK_ALERTS). */
  perBlock?: number;
  /** Whether a block keeps its alerts' uuids apart (default true; see PackedBlock). */
  keepUuids?: boolean;
  /** Called for each entry packed, with the JSON it held and its share of the block's bytes. */
  packed?: (entry: T, json: string, share: number) => void;
}

/** Gathers JSONs held alone (the trail's records) and packs them a block at a time. */
export class Packer<T extends Packable = Packable> {
  private pending: { entry: T; json: string }[] = [];
  private chars = 0;
  private scheduled = false;
  private readonly perBlock: number;
  private readonly keepUuids: boolean;
  private readonly packed: PackerOptions<T>['packed'];

  constructor(options: PackerOptions<T> = {}) {
    this.perBlock = options.perBlock ?? PACK_ALERTS;
    this.keepUuids = options.keepUuids ?? true;
    this.packed = options.packed;
  }

  /** An entry that holds its JSON alone now. */
  add(entry: T): void {
    const json = entry.heldJson();
    if (json === undefined || json.includes(SEPARATOR)) return;
    this.pending.push({ entry, json });
    this.chars += json.length;
    if (!this.scheduled && this.full()) {
      this.scheduled = true;
      setImmediate(() => this.seal()).unref();
    }
  }

  private full(): boolean {
    return this.pending.length >= this.perBlock || this.chars >= PACK_CHARS;
  }

  /** Packs every full block waiting (a batch of alerts may fill several in one turn); a partial one waits for more. */
  private seal(): void {
    this.scheduled = false;
    const pending = this.pending;
    let at = 0;
    while (pending.length - at >= this.perBlock || this.chars >= PACK_CHARS) {
      let end = at;
      let chars = 0;
      while (end < pending.length && end - at < this.perBlock && chars < PACK_CHARS) chars += (pending[end++] as { json: string }).json.length;
      this.chars -= chars;
      // Entries taken since they were added hold their alert again (or were sent and let go): they stay out.
      const still = pending.slice(at, end).filter((p) => p.entry.heldJson() === p.json);
      at = end;
      if (still.length === 0) continue;
      const block = new PackedBlock(still.map((p) => p.json), this.keepUuids);
      // Each JSON's share of the block, by its length.
      const perChar = block.size / still.reduce((sum, p) => sum + p.json.length, 0);
      still.forEach((p, slot) => {
        p.entry.pack(block, slot);
        this.packed?.(p.entry, p.json, Math.ceil(p.json.length * perChar));
      });
    }
    this.pending = pending.slice(at);
  }
}
