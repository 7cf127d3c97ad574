// One timer per output for its dedupe windows: they are kept in start order and all last the same,
// so the front window always ends first. arm() after a change sets the timer for the front window's
// end (unless it is set for earlier already); the callback closes what is due and arms again.
import type { Clock } from '../dispatch/clock.ts';

export class WindowTimer {
  private readonly clock: Clock;
  private readonly fire: () => void;
  private handle: unknown;
  private at = 0;
  private stopped = false;

  constructor(clock: Clock, fire: () => void) {
    this.clock = clock;
    this.fire = fire;
  }

  /** Makes sure the timer fires by `end` (the front window's end); undefined: nothing is open. */
  arm(end: number | undefined): void {
    if (this.stopped || end === undefined) return;
    if (this.handle !== undefined && this.at <= end) return;
    this.clock.clearTimeout(this.handle);
    this.at = end;
    this.handle = this.clock.setTimeout(() => {
      this.handle = undefined;
      this.fire();
    }, Math.max(0, end - this.clock.now()));
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
