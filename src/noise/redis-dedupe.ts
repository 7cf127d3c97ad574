// dedupe.store: redis — one window per key across every replica. The replica whose atomic SET NX
// wins a key's lead owns that window: it sent the first alert, and at window end it reads the shared
// counts and sends the summary (exactly one replica does). Redis down or slow (past
// dedupe.redis.timeoutms): fail open — the alert is delivered and peregrine_dedupe_store_errors_total counts it.
// At most dedupe.maxkeys owned windows: past it the oldest ends early (its summary sent, its lead
// released). A hot reload that changes the output's noise settings ends the owned windows the same way.
// Limits: if the owner stops before its window ends, that window's summary is not sent (its lead
// expires a grace period after the window, and the next alert opens a new window).
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import type { createClient as CreateClient, RedisClientType } from 'redis';
import type { Alert } from '../alert/alert.ts';
import { priorityRank } from '../alert/priority.ts';
import { alertBytes, serializeAlert } from '../alert/serialize.ts';
import type { Clock } from '../dispatch/clock.ts';
import { compileGetter, type FieldGetter } from './key.ts';
import type { Verdict } from './memory-dedupe.ts';
import type { NoiseSection, SharedDedupe, SharedHooks } from './output-noise.ts';
import { COLLECT, DECIDE, REFUND } from './redis-scripts.ts';
import { WindowTimer } from './window-timer.ts';
import type { RedisConfig } from './schema.ts';
import { sampleText, type WindowState } from './window.ts';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const DECIDE_SHA = sha1(DECIDE);
const COLLECT_SHA = sha1(COLLECT);
const REFUND_SHA = sha1(REFUND);
/** The lead outlives the window by this much, so the owner (not Redis expiry) ends it. */
const graceMs = (windowMs: number) => Math.min(windowMs, 30_000);

export interface RedisDeps extends Omit<SharedHooks, 'summarize'> {
  clock: Clock;
  log: Logger;
}

interface Owned {
  key: string;
  base: string;
  lead: string;
  start: number;
  end: number;
  first: Alert;
  /** Its first alert's JSON bytes, against dedupe.maxbytes. */
  bytes: number;
}

function clientFor(config: RedisConfig, log: Logger): RedisClientType {
  // Loaded only when a dedupe store is redis: every daemon paid ~4 MiB of idle RSS for it (docs/performance.md#idle-rss).
  const { createClient } = createRequire(import.meta.url)('redis') as { createClient: typeof CreateClient };
  const url = /^rediss?:\/\//.test(config.address) ? config.address : undefined;
  const [host, port] = url ? [undefined, undefined] : [config.address.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(config.address)?.[1] ?? 6379)];
  let failing = false;
  const client = createClient({
    ...(url ? { url } : {}),
    ...(config.username ? { username: config.username } : {}),
    ...(config.password ? { password: config.password } : {}),
    database: config.db,
    // Never queue behind a dead connection: ingest must not wait on Redis.
    disableOfflineQueue: true,
    commandOptions: { timeout: config.timeoutms },
    socket: {
      ...(host !== undefined ? { host, port } : {}),
      ...(config.tls ? { tls: true as const } : {}),
      connectTimeout: Math.max(1000, config.timeoutms),
      // Bounded: 100 ms doubling to 5 s between attempts, for as long as it takes.
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 6), 5000),
    },
  }) as unknown as RedisClientType;
  client.on('error', (err: Error) => {
    if (failing) return;
    failing = true;
    log.error({ err: err.message, address: config.address }, 'dedupe store (Redis) unreachable: alerts are delivered without dedupe until it is back');
  });
  client.on('ready', () => {
    if (failing) log.info({ address: config.address }, 'dedupe store (Redis) is back');
    failing = false;
  });
  return client;
}

export class RedisDedupe implements SharedDedupe {
  private readonly output: string;
  private readonly client: RedisClientType;
  private readonly deps: RedisDeps;
  private readonly summarize: (state: WindowState) => void;
  private readonly section: NoiseSection;
  private readonly samples: { path: string; get: FieldGetter }[];
  private readonly replica: string;
  private readonly owned = new Map<string, Owned>();
  /** What the owned windows hold (their first alerts), against dedupe.maxbytes. */
  private ownedBytes = 0;
  private readonly timer: WindowTimer;

  constructor(output: string, section: NoiseSection, summarize: (state: WindowState) => void, deps: RedisDeps) {
    this.output = output;
    this.section = section;
    this.summarize = summarize;
    this.deps = deps;
    this.replica = randomBytes(6).toString('hex');
    const { dedupe } = section;
    this.samples = dedupe.samplefields.filter((p) => !dedupe.keys.includes(p)).map((path) => ({ path, get: compileGetter(path, deps.bracketreplacer) }));
    this.client = clientFor(dedupe.redis, deps.log.child({ output }));
    this.timer = new WindowTimer(deps.clock, () => void this.sweep());
    this.client.connect().catch(() => {}); // the 'error' listener reports it; reconnects on its own
  }

  get size(): number {
    return this.owned.size;
  }

  get connected(): boolean {
    return this.client.isReady;
  }

  async decide(key: string, alert: Alert, now: number): Promise<Verdict> {
    const { dedupe, ratelimit } = this.section;
    const base = `${dedupe.redis.keyprefix}${this.output}:${sha1(key)}`;
    const lead = `${this.replica}|${now}`;
    const keys = this.keysOf(base);
    const args = [
      String(dedupe.windowms + graceMs(dedupe.windowms)),
      String(now),
      this.replica,
      String(priorityRank(alert.priority)),
      String(ratelimit.max),
      String(ratelimit.perms),
      String(dedupe.samplemax),
      ...this.samples.map((s) => sampleText(s.get(alert) ?? '')),
    ];
    let reply: [number, number];
    try {
      reply = (await this.script(DECIDE_SHA, DECIDE, keys, args)) as [number, number];
    } catch {
      this.deps.storeError();
      return 'pass';
    }
    const [won, limited] = reply.map(Number) as [number, number];
    if (won !== 1) return 'dedupe';
    this.own({ key, base, lead, start: now, end: now + dedupe.windowms, first: alert, bytes: alertBytes(serializeAlert(alert)) });
    return limited === 1 ? 'ratelimit' : 'pass';
  }

  /**
   * Undoes the leading edge `alert` won (it went out, then the spool refused it), in one script: if
   * the lead is still ours, its rate-limit token goes back, and the window goes (lead, counts,
   * samples) when no replica has counted a repeat into it, else its count goes one down (the owner
   * still sends its summary). Nothing when the alert did not win the key's current window here
   * (held back, or delivered fail-open). In the background: a failure is a store error.
   */
  refund(key: string, alert: Alert): void {
    const w = this.owned.get(key);
    if (!w || w.first !== alert) return;
    this.script(REFUND_SHA, REFUND, this.keysOf(w.base), [w.lead, String(this.section.ratelimit.max)]).then(
      (gone) => {
        if (Number(gone) === 1 && this.owned.get(key) === w) this.disown(w);
      },
      () => this.deps.storeError(),
    );
  }

  async close(): Promise<void> {
    this.timer.stop();
    const owned = [...this.owned.values()];
    this.owned.clear();
    this.ownedBytes = 0;
    await Promise.all(owned.map((w) => this.collect(w)));
    this.client.destroy();
  }

  async stop(): Promise<void> {
    this.timer.stop();
    this.client.destroy();
  }

  /** A window's keys in Redis: lead, stats, rate, then one set per sample field (as DECIDE and REFUND take them). */
  private keysOf(base: string): string[] {
    return [`${base}:lead`, `${base}:stats`, `${base}:rate`, ...this.samples.map((_, i) => `${base}:s${i}`)];
  }

  /** EVALSHA, loading the script on NOSCRIPT (first call, or after a Redis restart). */
  private async script(sha: string, source: string, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.client.sendCommand(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return this.client.sendCommand(['EVAL', source, String(keys.length), ...keys, ...args]);
    }
  }

  private own(w: Owned): void {
    const was = this.owned.get(w.key);
    if (was) this.disown(was);
    this.owned.set(w.key, w);
    this.ownedBytes += w.bytes;
    const { maxkeys, maxbytes } = this.section.dedupe;
    while (this.owned.size > 1 && (this.owned.size > maxkeys || this.ownedBytes > maxbytes)) this.evictOldest();
    this.arm();
  }

  private disown(w: Owned): void {
    this.owned.delete(w.key);
    this.ownedBytes -= w.bytes;
  }

  /** Past dedupe.maxkeys or maxbytes: the oldest owned window ends now (summary sent early, lead released), as in the memory store. */
  private evictOldest(): void {
    const oldest = this.owned.values().next().value;
    if (!oldest) return;
    this.disown(oldest);
    this.deps.evicted();
    void this.collect(oldest);
  }

  private arm(): void {
    this.timer.arm(this.owned.values().next().value?.end);
  }

  private async sweep(): Promise<void> {
    const now = this.deps.clock.now();
    const due: Owned[] = [];
    for (const w of this.owned.values()) {
      if (w.end > now) break;
      due.push(w);
    }
    for (const w of due) this.disown(w);
    this.arm();
    await Promise.all(due.map((w) => this.collect(w)));
  }

  /** Reads the window's shared counts and, when repeats were held back on any replica, sends its summary. */
  private async collect(w: Owned): Promise<void> {
    const keys = [`${w.base}:lead`, `${w.base}:stats`, ...this.samples.map((_, i) => `${w.base}:s${i}`)];
    let reply: unknown[];
    try {
      reply = (await this.script(COLLECT_SHA, COLLECT, keys, [w.lead])) as unknown[];
    } catch (err) {
      this.deps.storeError();
      this.deps.log.warn({ output: this.output, err: (err as Error).message }, 'dedupe store (Redis) unreachable at window end: this window\'s summary is not sent');
      return;
    }
    if (reply.length === 0) return;
    const flat = reply[0] as string[];
    const stats: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) stats[flat[i] as string] = flat[i + 1] as string;
    const suppressed = Number(stats.suppressed ?? 0);
    if (!this.section.dedupe.summary || suppressed === 0) return;
    const samples: Record<string, string[]> = {};
    this.samples.forEach((s, i) => (samples[s.path] = ((reply[i + 1] as string[] | undefined) ?? []).slice().sort()));
    this.summarize({
      key: w.key,
      start: w.start,
      end: w.end,
      first: w.first,
      seen: Number(stats.seen ?? 1),
      suppressed,
      lastSeen: Number(stats.last ?? w.start),
      topRank: Number(stats.rank ?? priorityRank(w.first.priority)),
      samples,
      truncated: stats.truncated === '1',
    });
  }
}
