// Noise control of one output: builds the alert's key (compiled at load), then asks the dedupe store
// (memory or Redis) and the rate limiter whether the alert goes out. Counts what it holds back.
import type { FastCounter } from '../telemetry/series.ts';
import type { Alert } from '../alert/alert.ts';
import type { Clock } from '../dispatch/clock.ts';
import { compileGetter, compileKey } from './key.ts';
import { MemoryDedupe, type Verdict } from './memory-dedupe.ts';
import { SUPPRESS_REASONS, type SuppressReason } from './metrics.ts';
import { RateLimiter } from './rate-limit.ts';
import type { DedupeConfig, RateLimitConfig } from './schema.ts';
import type { WindowState } from './window.ts';

export interface NoiseSection {
  dedupe: DedupeConfig;
  ratelimit: RateLimitConfig;
}

/** The shared dedupe store of several replicas (redis-dedupe.ts). */
export interface SharedDedupe {
  decide(key: string, alert: Alert, now: number): Promise<Verdict>;
  /** Undoes what decide() did for an alert it let through (see NoiseControl.refund); in the background. */
  refund(key: string, alert: Alert): void;
  readonly size: number;
  readonly connected: boolean;
  /** Ends the windows this replica owns now (their summaries sent, their leads released), then stops. */
  close(): Promise<void>;
  /** Stops; the windows it owns are left to expire in the store. */
  stop(): Promise<void>;
}

/** What the shared store of one output reports back. */
export interface SharedHooks {
  summarize: (state: WindowState) => void;
  /** A Redis call failed or timed out (fail open). */
  storeError: () => void;
  /** A window was ended early because dedupe.maxkeys windows were owned. */
  evicted: () => void;
  /** The global bracketreplacer (sample fields are read under their replaced names). */
  bracketreplacer: string;
}

export interface OutputNoiseDeps {
  clock: Clock;
  suppressed: FastCounter<'output' | 'reason'>;
  evicted: () => void;
  /** A Redis call failed or timed out (fail open). */
  storeError: () => void;
  summarize: (output: string, state: WindowState) => void;
  /** The global bracketreplacer: keys and sample fields name proc.aname[2], enrichment renamed it proc.aname_2. */
  bracketreplacer: string;
  /** Builds the shared store when dedupe.store is redis. */
  shared?: (output: string, section: NoiseSection, hooks: SharedHooks) => SharedDedupe;
}

export class OutputNoise {
  readonly name: string;
  /** Dedupe or rate limit is configured (a silence applies to every output anyway). */
  readonly gated: boolean;
  readonly counts: Record<SuppressReason, number> = { dedupe: 0, ratelimit: 0, silence: 0 };
  readonly memory: MemoryDedupe | undefined;
  readonly rate: RateLimiter | undefined;
  readonly shared: SharedDedupe | undefined;
  /** dedupe.summary: whether a window that held repeats back ends in a summary. */
  readonly summary: boolean;
  evictions = 0;
  storeErrors = 0;
  private readonly keyOf: (alert: Alert) => string;
  private readonly counters: Record<SuppressReason, { inc(): void }>;

  constructor(name: string, section: NoiseSection, deps: OutputNoiseDeps) {
    this.name = name;
    const { dedupe, ratelimit } = section;
    this.summary = dedupe.summary;
    this.keyOf = compileKey(dedupe.keys, deps.bracketreplacer);
    this.counters = Object.fromEntries(SUPPRESS_REASONS.map((r) => [r, deps.suppressed.labels({ output: name, reason: r })])) as Record<SuppressReason, { inc(): void }>;
    const evicted = () => {
      this.evictions++;
      deps.evicted();
    };
    const rateOn = ratelimit.max > 0;
    const summarize = (state: WindowState) => deps.summarize(name, state);
    if (dedupe.windowms > 0 && dedupe.store === 'redis' && deps.shared) {
      this.shared = deps.shared(name, section, {
        summarize,
        storeError: () => {
          this.storeErrors++;
          deps.storeError();
        },
        evicted,
        bracketreplacer: deps.bracketreplacer,
      });
    } else {
      this.rate = rateOn ? new RateLimiter({ max: ratelimit.max, perms: ratelimit.perms, maxkeys: dedupe.maxkeys }, evicted) : undefined;
      if (dedupe.windowms > 0) {
        // A field of the key cannot vary within a window: no point sampling it.
        const samples = dedupe.samplefields.filter((p) => !dedupe.keys.includes(p)).map((path) => ({ path, get: compileGetter(path, deps.bracketreplacer) }));
        this.memory = new MemoryDedupe(dedupe, samples, this.rate, { clock: deps.clock, summarize, evicted });
      }
    }
    this.gated = this.memory !== undefined || this.rate !== undefined || this.shared !== undefined;
  }

  /** Whether the alert goes out on this output; a held-back alert is counted here. */
  decide(alert: Alert, now: number): Verdict | Promise<Verdict> {
    const key = this.keyOf(alert);
    if (this.shared) return this.shared.decide(key, alert, now).then((v) => this.count(v));
    if (this.memory) return this.count(this.memory.decide(key, alert, now));
    return this.count((this.rate as RateLimiter).take(key, now) ? 'pass' : 'ratelimit');
  }

  /** Undoes what decide() did for an alert it let through: the window it opened, the rate-limit token it took. */
  refund(alert: Alert): void {
    const key = this.keyOf(alert);
    if (this.shared) this.shared.refund(key, alert);
    else if (this.memory) this.memory.refund(key, alert);
    else this.rate?.refund(key);
  }

  suppress(reason: SuppressReason): void {
    this.counts[reason]++;
    this.counters[reason].inc();
  }

  get activeKeys(): number {
    return this.memory?.size ?? this.shared?.size ?? 0;
  }

  health(): Record<string, unknown> {
    return {
      suppressed: { ...this.counts },
      activeKeys: this.activeKeys,
      ...(this.rate ? { rateLimitedKeys: this.rate.size } : {}),
      evicted: this.evictions,
      ...(this.shared ? { store: 'redis', connected: this.shared.connected, storeErrors: this.storeErrors } : {}),
    };
  }

  private count(v: Verdict): Verdict {
    if (v !== 'pass') this.suppress(v);
    return v;
  }
}
