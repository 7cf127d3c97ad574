// How many alerts the spool has ever stored in SQLite (batch.ts, STORED), kept beside the database in
// its own small file (peregrine.db-acked) and rewritten after each commit that stored alerts. SQLite
// recovers a damaged WAL by dropping every commit from the first bad frame on, silently; the
// database then looks consistent but its own count (meta 'stored') is below this mark, and the
// difference is the number of acknowledged alerts that were lost. Written after the commit, so it
// can lag the database, never lead it: a lost update of this file hides nothing real and never
// raises a false alarm. (An alert the intake log took and delivered before a spill was never stored,
// and is not counted.)
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const WIDTH = 20;

export class AckMark {
  private readonly fd: number;

  constructor(path: string) {
    closeSync(openSync(path, 'a')); // create when absent; 'r+' (positional writes at 0) does not create
    this.fd = openSync(path, 'r+');
  }

  /** The recorded mark, or undefined when the file is new or unreadable. */
  read(): number | undefined {
    const buf = Buffer.alloc(WIDTH);
    const n = readSync(this.fd, buf, 0, WIDTH, 0);
    const value = Number(buf.subarray(0, n).toString('ascii').trim());
    return n > 0 && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }

  write(mark: number): void {
    writeSync(this.fd, String(mark).padEnd(WIDTH, ' '), 0, 'ascii');
  }

  close(): void {
    closeSync(this.fd);
  }
}
