// dedupe with the store in memory (one replica): a bounded map of open windows per output, in window
// start order — which, with one window length per output, is also window end order. So one timer
// (at the front window's end) closes windows as they end, and the oldest key is the one evicted.
import type { Alert } from '../alert/alert.ts';
import { alertBytes, serializeAlert } from '../alert/serialize.ts';
import type { Clock } from '../dispatch/clock.ts';
import { FifoMap } from '../fifo-map.ts';
import type { RateLimiter } from './rate-limit.ts';
import { countRepeat, openWindow, type SampleSpec, type WindowState } from './window.ts';
import { WindowTimer } from './window-timer.ts';

export type Verdict = 'pass' | 'dedupe' | 'ratelimit';

export interface WindowJournal {
  /** The window changed (undefined: it closed). */
  window(key: string, state: WindowState | undefined): void;
}

export interface DedupeSettings {
  windowms: number;
  summary: boolean;
  samplemax: number;
  maxkeys: number;
  maxbytes: number;
}

export interface DedupeHooks {
  clock: Clock;
  /** A window ended with repeats held back: send this state's summary. */
  summarize: (state: WindowState) => void;
  evicted: () => void;
}

export class MemoryDedupe {
  private readonly windows = new FifoMap<string, WindowState>();
  private readonly settings: DedupeSettings;
  private readonly samples: readonly SampleSpec[];
  private readonly hooks: DedupeHooks;
  private readonly rate: RateLimiter | undefined;
  private readonly timer: WindowTimer;
  /** What the open windows hold (WindowState.bytes), against dedupe.maxbytes. */
  private bytes = 0;
  journal: WindowJournal | undefined;

  constructor(settings: DedupeSettings, samples: readonly SampleSpec[], rate: RateLimiter | undefined, hooks: DedupeHooks) {
    this.settings = settings;
    this.samples = samples;
    this.rate = rate;
    this.hooks = hooks;
    this.timer = new WindowTimer(hooks.clock, () => this.sweep());
  }

  get size(): number {
    return this.windows.size;
  }

  decide(key: string, alert: Alert, now: number): Verdict {
    let w = this.windows.get(key);
    if (w && now >= w.end) {
      this.close(w);
      w = undefined;
    }
    if (w) {
      const added = countRepeat(w, alert, now, this.samples, this.settings.samplemax);
      w.bytes = (w.bytes ?? 0) + added;
      this.bytes += added;
      this.journal?.window(key, w);
      return 'dedupe';
    }
    // The leading edge: it goes out unless the key is over its rate limit, and opens the window either way.
    w = openWindow(key, alert, now, this.settings.windowms);
    const limited = this.rate !== undefined && !this.rate.take(key, now);
    if (limited) {
      w.suppressed = 1;
    }
    this.add(w);
    this.journal?.window(key, w);
    this.arm();
    return limited ? 'ratelimit' : 'pass';
  }

  /**
   * Undoes the leading edge `alert` was (it went out, then the spool refused it): a window that holds
   * only it goes without a summary; one that has counted repeats since stays (they were held back:
   * its summary reports them) with its count one less. Its rate-limit token goes back. Nothing when
   * the alert did not open the key's current window.
   */
  refund(key: string, alert: Alert): void {
    const w = this.windows.get(key);
    if (!w || w.first !== alert) return;
    if (w.seen === 1) {
      this.remove(w);
      this.journal?.window(key, undefined);
    } else {
      w.seen--;
      this.journal?.window(key, w);
    }
    this.rate?.refund(key, w.start);
  }

  /** Puts back a window from the spool (at start); one that already ended is summarised now. */
  restore(w: WindowState, now: number): void {
    if (now >= w.end) return this.close(w);
    this.add(w);
    this.arm();
  }

  /** Every open window, oldest first (tests, shutdown without a spool). */
  open(): WindowState[] {
    return [...this.windows.values()];
  }

  /** Closes every window now, sending the summaries that are due (shutdown without a spool: counts are not lost). */
  closeAll(): void {
    for (const w of [...this.windows.values()]) this.close(w);
  }

  stop(): void {
    this.timer.stop();
  }

  /**
   * Opens (or restores) a window, weighed: its first alert's JSON and its samples. Past maxkeys or
   * maxbytes the oldest windows are evicted, never the one just added.
   */
  private add(w: WindowState): void {
    w.bytes = alertBytes(serializeAlert(w.first)) + sampleChars(w);
    this.windows.set(w.key, w);
    this.bytes += w.bytes;
    while (this.windows.size > 1 && (this.windows.size > this.settings.maxkeys || this.bytes > this.settings.maxbytes)) this.evictOldest();
  }

  private remove(w: WindowState): void {
    if (this.windows.get(w.key) !== w) return;
    this.windows.delete(w.key);
    this.bytes -= w.bytes ?? 0;
  }

  private close(w: WindowState): void {
    this.remove(w);
    this.journal?.window(w.key, undefined);
    if (this.settings.summary && w.suppressed > 0) this.hooks.summarize(w);
  }

  private evictOldest(): void {
    const oldest = this.windows.oldest();
    if (!oldest) return;
    // Its summary goes out early rather than losing the count.
    this.close(oldest.value);
    this.hooks.evicted();
  }

  private arm(): void {
    this.timer.arm(this.windows.oldest()?.value.end);
  }

  private sweep(): void {
    const now = this.hooks.clock.now();
    for (const w of this.windows.values()) {
      if (w.end > now) break;
      this.close(w);
    }
    this.arm();
  }
}

function sampleChars(w: WindowState): number {
  let chars = 0;
  for (const list of Object.values(w.samples ?? {})) for (const v of list) chars += v.length;
  return chars;
}
