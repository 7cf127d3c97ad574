// The spool's writer thread (started by thread-writer.ts): commits the hot-path batches (new
// alerts, deliveries done and rescheduled) on its own SQLite connection, so that node:sqlite's
// synchronous commits never block the event loop that answers Falco and sends to the outputs.
// Each result goes back on the port, then the signal word is bumped (the main thread waits on it
// when it must see every write, e.g. before a read).
import { DatabaseSync } from 'node:sqlite';
import { workerData, type MessagePort } from 'node:worker_threads';
import { AckMark } from './ack-mark.ts';
import { BatchWriter, type Batch } from './batch.ts';

export interface WriterThreadInit {
  path: string;
  fsync: 'normal' | 'full';
  maxbytes: number;
  /** BigInt64Array: see batch.ts (HWM, BYTES, STORED). */
  counters: SharedArrayBuffer;
  /** Int32Array [0]: bumped after each answer is posted. */
  signal: SharedArrayBuffer;
  port: MessagePort;
}

export type WriterRequest = { type: 'batch'; batch: Batch } | { type: 'close' };

export type WriterAnswer =
  | { type: 'done'; ids: (number | null)[]; evictions: [number, string[], number][]; seconds: number }
  | { type: 'failed'; message: string; errcode: number | undefined }
  | { type: 'closed' };

function open(init: WriterThreadInit): { db: DatabaseSync; writer: BatchWriter; ackMark: AckMark } {
  // Waits up to 5 s for another connection (the main thread's, `peregrine dlq`) instead of SQLITE_BUSY.
  const db = new DatabaseSync(init.path, { timeout: 5_000 });
  // synchronous is per connection: the writer's commits are the ones it applies to.
  db.exec(`PRAGMA synchronous = ${init.fsync === 'full' ? 'FULL' : 'NORMAL'}; PRAGMA foreign_keys = OFF;`);
  const ackMark = new AckMark(`${init.path}-acked`);
  return { db, ackMark, writer: new BatchWriter(db, new BigInt64Array(init.counters), init.maxbytes, ackMark) };
}

function serve(init: WriterThreadInit): void {
  const signal = new Int32Array(init.signal);
  const answer = (message: WriterAnswer) => {
    init.port.postMessage(message);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  let opened: ReturnType<typeof open> | undefined;
  let failure: WriterAnswer | undefined;
  try {
    opened = open(init);
  } catch (err) {
    // Every batch is then answered with this error: the spool reports it and new alerts get 503.
    failure = { type: 'failed', message: `the spool writer thread could not open the spool: ${(err as Error).message}`, errcode: (err as { errcode?: number }).errcode };
  }
  init.port.on('message', (m: WriterRequest) => {
    if (m.type === 'close') {
      opened?.db.close();
      opened?.ackMark.close();
      answer({ type: 'closed' });
      init.port.close();
    } else if (!opened) answer(failure as WriterAnswer);
    else {
      try {
        answer({ type: 'done', ...opened.writer.commit(m.batch) });
      } catch (err) {
        answer({ type: 'failed', message: (err as Error).message, errcode: (err as { errcode?: number }).errcode });
      }
    }
  });
}

if (workerData) serve(workerData as WriterThreadInit);
