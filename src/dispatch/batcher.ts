// When a worker sends: a full batch at once, a partial one after `batch.flushms` (the flush timer),
// everything at once while draining. Time comes from the injected clock.
import type { Clock } from './clock.ts';

export interface BatchSettings {
  maxevents: number;
  maxbytes: number;
  flushms: number;
}

export class Batcher {
  private timer: unknown;
  private due = false;
  private readonly settings: BatchSettings;
  private readonly clock: Clock;
  private readonly onDue: () => void;

  /** `onDue` runs when the flush timer fires: the worker pumps again. */
  constructor(settings: BatchSettings, clock: Clock, onDue: () => void) {
    this.settings = settings;
    this.clock = clock;
    this.onDue = onDue;
  }

  /**
   * True when a batch should be taken now from a queue holding `size` alerts of `bytes`: it is full,
   * the flush is due, or the output does not wait for more. Otherwise the flush timer is armed.
   */
  ready(size: number, bytes: number): boolean {
    const { maxevents, maxbytes, flushms } = this.settings;
    if (size >= maxevents || bytes >= maxbytes || this.due || flushms <= 0) return true;
    if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.due = true;
        this.onDue();
      }, flushms);
    }
    return false;
  }

  /** A batch was taken: the next partial batch waits `flushms` again. */
  taken(): void {
    this.due = false;
    this.clearTimer();
  }

  /** Send what is queued without waiting (shutdown drain). Stays due until the next batch is taken. */
  flushNow(): void {
    this.due = true;
  }

  close(): void {
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
