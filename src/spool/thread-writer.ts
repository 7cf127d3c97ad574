// The main thread's side of the spool's writer thread (writer-thread.ts): posts a batch, calls back
// with its result when the commit is done. `sync()` blocks until every batch posted is answered
// (Atomics.wait on the signal word, then the answers taken off the port synchronously): the spool
// calls it before it writes on its own connection or reads what the writer wrote.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Batch, BatchResult } from './batch.ts';
import type { WriterAnswer, WriterRequest, WriterThreadInit } from './writer-thread.ts';

const SYNC_TIMEOUT_MS = 30_000;

type Done = (outcome: BatchResult | Error) => void;

export class ThreadWriter {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  /** Callbacks of the batches posted and not answered yet, in order (then the close's). */
  private readonly waiting: Done[] = [];
  private stopped: Error | undefined;

  constructor(init: Omit<WriterThreadInit, 'port' | 'signal'>, log: Logger) {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    this.signal = new Int32Array(signal);
    this.port = port1;
    const here = new URL(import.meta.url);
    const file = new URL(here.pathname.endsWith('.ts') ? './writer-thread.ts' : './writer-thread.js', here);
    this.worker = new Worker(file, { workerData: { ...init, signal, port: port2 } satisfies WriterThreadInit, transferList: [port2], name: 'spool-writer' });
    this.worker.unref();
    this.worker.on('error', (err) => {
      log.error({ err: err.message }, 'the spool writer thread stopped: new alerts are refused with 503 until Peregrine restarts');
      this.stop(err);
    });
    this.port.on('message', (m: WriterAnswer) => this.answered(m));
    this.port.unref();
  }

  /** Posts the batch; `done` gets its result (ids, evictions) or the commit's error. */
  submit(batch: Batch, done: Done): void {
    if (this.stopped) return done(this.stopped);
    this.post({ type: 'batch', batch }, done);
  }

  /** Returns once every batch posted so far is answered (their callbacks have run). */
  sync(): void {
    const deadline = Date.now() + SYNC_TIMEOUT_MS;
    while (this.waiting.length > 0) {
      const seen = Atomics.load(this.signal, 0);
      const next = receiveMessageOnPort(this.port);
      if (next) {
        this.answered(next.message as WriterAnswer);
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the spool writer thread did not answer within ${SYNC_TIMEOUT_MS / 1000} s`);
      Atomics.wait(this.signal, 0, seen, left);
    }
  }

  /** Waits for the writes posted, then closes the writer's connection and ends the thread. */
  close(): void {
    if (!this.stopped) {
      this.post({ type: 'close' }, () => {});
      try {
        this.sync();
      } finally {
        this.stop(new Error('the spool is closed'));
      }
    }
  }

  private post(request: WriterRequest, done: Done): void {
    this.waiting.push(done);
    // A batch in flight keeps the process alive until it is answered (its sender waits for it).
    this.port.ref();
    this.port.postMessage(request);
  }

  private answered(m: WriterAnswer): void {
    const done = this.waiting.shift();
    if (this.waiting.length === 0) this.port.unref();
    if (m.type === 'failed') done?.(Object.assign(new Error(m.message), { errcode: m.errcode }));
    else if (m.type === 'done') done?.(m);
    else done?.({ ids: [], evictions: [], seconds: 0 });
  }

  private stop(err: Error): void {
    this.stopped = err;
    this.port.close();
    void this.worker.terminate();
    for (const done of this.waiting.splice(0)) done(err);
  }
}
