// The spool's intake log: new alerts appended to a plain file, one write per turn of the event loop,
// so that ingest can answer Falco before the alerts reach SQLite. The spool moves them into SQLite
// in batches (spool.ts, "spill"); an alert delivered everywhere before its batch never reaches SQLite
// at all. A write lands in the page cache before the reply, as a commit with `synchronous = NORMAL`
// does: it survives the process, not a power loss (the same promise as spool.fsync: normal).
//
// The log is a series of segments (peregrine.db-intake-1, -2, …). A spill seals the segment being
// written and the next alert starts a new one; once the spill's commit is done its sealed segments
// are deleted. At the next start, the records of segments still present whose ids are above the
// mark the last spill committed are the alerts acknowledged and not yet in SQLite (intake-replay in
// spool.ts). A record is one line: a JSON header [id, uuid, rank, receivedAt, bytes, outputs, json
// length], a tab, the alert's JSON (which holds no raw newline), a newline. A line cut short by a
// crash during its write was never answered: recovery stops there.
import { closeSync, ftruncateSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface IntakeRecord {
  id: number;
  uuid: string;
  /** priorityRank of the alert. */
  rank: number;
  receivedAt: number;
  bytes: number;
  outputs: string[];
  json: string;
}

export class IntakeLog {
  private readonly base: string;
  /** The segment being written, opened on the first append after a seal. */
  private fd: number | undefined;
  private size = 0;
  private next: number;
  private readonly sealed: string[] = [];

  /** `base`: the segments' path without their number (`<spool file>-intake`); numbering resumes after the highest present. */
  constructor(base: string) {
    this.base = base;
    this.next = Math.max(0, ...IntakeLog.segments(base).map(([n]) => n)) + 1;
  }

  /** Appends the records in one write. On a failed or short write the segment is cut back to where it was, and this throws. */
  append(records: readonly IntakeRecord[]): void {
    if (this.fd === undefined) {
      const path = `${this.base}-${this.next++}`;
      this.fd = openSync(path, 'a');
      this.size = 0;
      this.sealed.push(path);
    }
    const text = records.length === 1 ? line(records[0] as IntakeRecord) : records.map(line).join('');
    const bytes = Buffer.byteLength(text);
    let written = 0;
    try {
      written = writeSync(this.fd, text);
    } finally {
      if (written !== bytes) ftruncateSync(this.fd, this.size);
    }
    if (written !== bytes) throw new Error(`short write to the intake log (${written} of ${bytes} bytes)`);
    this.size += written;
  }

  /** The next append starts a new segment; returns how many segments are now sealed (their records go into the next commit). */
  seal(): number {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    return this.sealed.length;
  }

  /** The first `count` sealed segments' records are committed: deletes them. */
  release(count: number): void {
    for (const path of this.sealed.splice(0, count)) unlinkSync(path);
  }

  close(): void {
    this.seal();
  }

  /** Every record of the segments present, oldest first, up to the first incomplete line of each segment. */
  static read(base: string): IntakeRecord[] {
    const records: IntakeRecord[] = [];
    for (const [, path] of IntakeLog.segments(base)) {
      const text = readFileSync(path, 'utf8');
      let at = 0;
      for (;;) {
        const end = text.indexOf('\n', at);
        const record = end < 0 ? undefined : parse(text.slice(at, end));
        if (!record) break;
        records.push(record);
        at = end + 1;
      }
    }
    return records;
  }

  /** Deletes every segment present (their records are in SQLite). */
  static discard(base: string): void {
    for (const [, path] of IntakeLog.segments(base)) unlinkSync(path);
  }

  private static segments(base: string): [number, string][] {
    const prefix = `${basename(base)}-`;
    return readdirSync(dirname(base))
      .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
      .map((name): [number, string] => [Number(name.slice(prefix.length)), join(dirname(base), name)])
      .sort((a, b) => a[0] - b[0]);
  }
}

function line(r: IntakeRecord): string {
  const outputs = r.outputs.length === 1 ? `[${JSON.stringify(r.outputs[0])}]` : JSON.stringify(r.outputs);
  return `[${r.id},${JSON.stringify(r.uuid)},${r.rank},${r.receivedAt},${r.bytes},${outputs},${r.json.length}]\t${r.json}\n`;
}

function parse(text: string): IntakeRecord | undefined {
  const tab = text.indexOf('\t');
  if (tab < 0) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(text.slice(0, tab));
  } catch {
    return undefined;
  }
  if (!Array.isArray(header) || header.length !== 7) return undefined;
  const [id, uuid, rank, receivedAt, bytes, outputs, length] = header as [number, string, number, number, number, string[], number];
  const json = text.slice(tab + 1);
  if (json.length !== length) return undefined;
  return { id, uuid, rank, receivedAt, bytes, outputs, json };
}
