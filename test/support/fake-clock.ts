// A manual clock for the worker: timers fire only when the test advances time.
import type { Clock } from '../../src/dispatch/clock.ts';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private time: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(start = Date.parse('2026-11-20T10:00:00Z')) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing due timers in order and letting promise callbacks run between them. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
    await flush();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Moves the fake clock forward in steps until `done()` holds, giving real sockets a moment between
 * steps (the app's timers run on the fake clock, its I/O on real time). Fails after `timeoutMs` of
 * real time, saying what it waited for.
 */
export async function advanceUntil(clock: FakeClock, done: () => boolean | Promise<boolean>, what: string, stepMs = 100, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (fake clock at ${new Date(clock.now()).toISOString()})`);
    await clock.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Moves the fake clock forward in steps until `done()` holds, but only while `busy()` is false
 * (e.g. no request in flight: `() => worker.healthSnapshot().inflight > 0`), so a real answer that
 * is slow on a loaded machine is never timed out by fake time. A test that wants a request to time
 * out (a receiver that hangs) waits for the receiver to have it and advances past timeoutms itself.
 * Fails after `timeoutMs` of real time, saying what it waited for.
 */
export async function advanceWhenIdle(clock: FakeClock, busy: () => boolean, done: () => boolean | Promise<boolean>, what: string, stepMs = 50, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (fake clock at ${new Date(clock.now()).toISOString()}${busy() ? ', a request still in flight' : ''})`);
    if (!busy()) await clock.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * `advanceWhenIdle` for a running app: the clock moves only while none of its outputs has a request
 * in flight. `settle(done, what)` waits for `done` the way test/pipeline/webhook.test.ts does.
 */
export function settler(clock: FakeClock, app: { workers: readonly { healthSnapshot(): { inflight: number } }[] }) {
  const busy = () => app.workers.some((w) => w.healthSnapshot().inflight > 0);
  return (done: () => boolean | Promise<boolean>, what: string, stepMs = 50, timeoutMs = 15_000) => advanceWhenIdle(clock, busy, done, what, stepMs, timeoutMs);
}

/** `app.close()` for an app on a fake clock: shutdown waits on that clock, so it moves until the app is closed. */
export async function closeOnClock(app: { close(): Promise<unknown> }, clock: FakeClock): Promise<void> {
  let closed = false;
  const closing = app.close().finally(() => (closed = true));
  await advanceUntil(clock, () => closed, 'the app to close');
  await closing;
}
