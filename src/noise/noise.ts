// Noise control for the app: between routing (which outputs take an alert) and queueing/spooling
// for each of them. Silences first (global), then each output's dedupe and rate limit. What is held
// back is counted per output and reason and never queued or spooled for that output; dedupe windows
// end in one summary alert sent to that output only.
import type { Logger } from 'pino';
import type { Alert } from '../alert/alert.ts';
import type { Clock } from '../dispatch/clock.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { NoiseMetrics } from './metrics.ts';
import type { Verdict } from './memory-dedupe.ts';
import { OutputNoise, type NoiseSection, type OutputNoiseDeps } from './output-noise.ts';
import type { SilenceSpec } from './schema.ts';
import { silenceEnd, Silences } from './silences.ts';
import { buildSummary } from './summary.ts';
import type { WindowState } from './window.ts';

type Decision = Verdict | 'silence';

/** What an output's noise gate is built from: a change rebuilds it. The bracketreplacer counts when a key or sample names a bracketed field. */
const noiseKey = (options: NoiseSection, bracketreplacer: string): string => {
  const { dedupe, ratelimit } = options;
  const brackets = [...dedupe.keys, ...dedupe.samplefields].some((path) => path.includes('['));
  return JSON.stringify({ dedupe, ratelimit, ...(brackets ? { bracketreplacer } : {}) });
};

/** Anything routed to an output: a worker, or a name in tests. */
export interface Target {
  readonly name: string;
}

export interface NoiseDeps {
  clock: Clock;
  metrics: Metrics;
  log: Logger;
  /** Queues (and spools) an alert for one output: how summaries go out. */
  emit: (output: string, alert: Alert) => void;
  bracketreplacer?: string;
  shared?: OutputNoiseDeps['shared'];
}

export class NoiseControl {
  readonly silences: Silences;
  readonly outputs = new Map<string, OutputNoise>();
  /** Set by persistNoise (spool on): journals each output's windows and rates, also after a reload. */
  onOutput: ((name: string, output: OutputNoise) => void) | undefined;
  private readonly clock: Clock;
  private anyGate: boolean;
  private readonly metrics: NoiseMetrics;
  private readonly emit: NoiseDeps['emit'];
  private readonly log: Logger;
  private readonly deps: NoiseDeps;
  /** What each output's noise section was built from (hot reload keeps what did not change). */
  private readonly built = new Map<string, string>();
  /** The global bracketreplacer (enrichment renames proc.aname[2] with it): silences, keys and samples read fields by it. */
  private bracketreplacer: string;
  /** The running config silences: id and the spec it was built from. */
  private configSilences: [string, string][] = [];

  constructor(sections: readonly { name: string; options: NoiseSection }[], silences: readonly SilenceSpec[], deps: NoiseDeps) {
    this.clock = deps.clock;
    this.deps = deps;
    this.emit = deps.emit;
    this.log = deps.log;
    this.bracketreplacer = deps.bracketreplacer ?? '';
    this.silences = new Silences(this.bracketreplacer);
    this.metrics = new NoiseMetrics(deps.metrics, {
      activeKeys: () => Object.fromEntries([...this.outputs].filter(([, o]) => o.gated).map(([name, o]) => [name, o.activeKeys])),
      activeSilences: () => this.silences.active(this.clock.now()).length,
    });
    this.configureSilences(silences);
    for (const { name, options } of sections) this.addOutput(name, options);
    this.anyGate = [...this.outputs.values()].some((o) => o.gated);
  }

  /**
   * Hot reload, between two alerts: an output whose dedupe and rate limit did not change keeps its
   * windows; one whose did, or that is gone, sends its open windows' summaries now (to the output
   * of that name, if any) and starts afresh. The config's silences are replaced; API silences stay.
   * A new bracketreplacer renames the fields silences, keys and samples read (enrichment's rule).
   */
  reconfigure(sections: readonly { name: string; options: NoiseSection }[], silences: readonly SilenceSpec[], bracketreplacer = this.bracketreplacer): void {
    if (bracketreplacer !== this.bracketreplacer) {
      this.bracketreplacer = bracketreplacer;
      this.silences.rebracket(bracketreplacer);
    }
    const next = new Map(sections.map((s) => [s.name, s.options]));
    for (const [name, o] of [...this.outputs]) {
      const options = next.get(name);
      if (options !== undefined && this.built.get(`output:${name}`) === noiseKey(options, bracketreplacer)) continue;
      this.outputs.delete(name);
      this.built.delete(`output:${name}`);
      o.memory?.closeAll();
      o.memory?.stop();
      // Redis: the windows this replica owns end now too (summaries, leads released for the new settings).
      void o.shared?.close();
    }
    for (const { name, options } of sections) if (!this.outputs.has(name)) this.addOutput(name, options);
    this.configureSilences(silences);
    this.anyGate = [...this.outputs.values()].some((o) => o.gated);
  }

  /** The targets that get the alert. Synchronous unless an output dedupes through Redis. */
  admit<T extends Target>(targets: readonly T[], alert: Alert): readonly T[] | Promise<T[]> {
    if (targets.length === 0 || (!this.anyGate && this.silences.empty)) return targets;
    const now = this.clock.now();
    let verdicts: (Decision | Promise<Decision>)[] | undefined;
    let async = false;
    for (let i = 0; i < targets.length; i++) {
      const verdict = this.decide((targets[i] as T).name, alert, now);
      if (verdict === 'pass' && verdicts === undefined) continue;
      verdicts ??= targets.slice(0, i).map(() => 'pass' as const);
      verdicts.push(verdict);
      if (verdict instanceof Promise) async = true;
    }
    if (verdicts === undefined) return targets;
    const pick = (v: readonly Decision[]) => targets.filter((_, i) => v[i] === 'pass');
    return async ? Promise.all(verdicts).then(pick) : pick(verdicts as Decision[]);
  }

  /**
   * Undoes what admit() did for `alert` on `targets`, the outputs admit() let it through to, when
   * it was not queued after all (the spool refused it: 507/503). On each: a dedupe window it opened
   * that holds only it goes, without a summary; one that has counted repeats since stays, with its
   * count one less; a rate-limit token it took goes back. Call it once per refused alert. The
   * suppressed counters (Prometheus counters) are not taken back. Redis store: redis-dedupe.ts.
   */
  refund<T extends Target>(targets: readonly T[], alert: Alert): void {
    if (!this.anyGate) return;
    for (let i = 0; i < targets.length; i++) {
      const o = this.outputs.get((targets[i] as T).name);
      if (o?.gated) o.refund(alert);
    }
  }

  /**
   * A window restored from the spool whose output no longer dedupes in memory (dedupe off, store
   * switched to redis) ends now, as a hot reload ends it: its summary goes to that output.
   */
  endRestored(output: string, state: WindowState): boolean {
    const o = this.outputs.get(output);
    if (!o) return false;
    if (o.summary && state.suppressed > 0) this.summarize(output, state);
    return true;
  }

  /** /healthz: the noise figures of one output. */
  health(output: string): Record<string, unknown> | undefined {
    const o = this.outputs.get(output);
    if (!o) return undefined;
    return o.gated || o.counts.silence > 0 ? o.health() : undefined;
  }

  /** Shutdown: stop the window timers. Without a spool (`flush`), open windows are summarised now so no count is lost. */
  async close(flush: boolean): Promise<void> {
    for (const o of this.outputs.values()) {
      if (flush) o.memory?.closeAll();
      o.memory?.stop();
      await o.shared?.stop();
    }
  }

  private addOutput(name: string, options: NoiseSection): void {
    const deps = this.deps;
    const o = new OutputNoise(name, options, {
      clock: deps.clock,
      suppressed: this.metrics.suppressed,
      evicted: () => this.metrics.evicted.inc({ output: name }),
      storeError: () => this.metrics.storeErrors.inc({ output: name }),
      summarize: (output, state) => this.summarize(output, state),
      bracketreplacer: this.bracketreplacer,
      ...(deps.shared ? { shared: deps.shared } : {}),
    });
    this.outputs.set(name, o);
    this.built.set(`output:${name}`, noiseKey(options, this.bracketreplacer));
    this.onOutput?.(name, o);
  }

  /**
   * The config's silences, ids cfg-1, cfg-2, … by position. One whose spec the running config has too
   * keeps its end (a `for` does not start again) and its hits, wherever it moved in the list: matched
   * by content, so adding or removing a silence above it changes nothing for it.
   */
  private configureSilences(specs: readonly SilenceSpec[]): void {
    const now = this.clock.now();
    // The running config silences by spec, in order (a spec given twice is two silences).
    const running = new Map<string, string[]>();
    for (const [id, key] of this.configSilences) running.set(key, [...(running.get(key) ?? []), id]);
    const kept = new Map<string, string>();
    const fresh = specs.map((spec, i) => {
      const id = `cfg-${i + 1}`;
      const key = JSON.stringify(spec);
      const was = running.get(key)?.shift();
      if (was !== undefined) kept.set(id, was);
      return { id, match: spec.match, until: silenceEnd(spec, now), reason: spec.reason, outputs: spec.outputs, createdAt: now, origin: 'config' as const, path: ['silences', i, 'match'] };
    });
    this.configSilences = specs.map((spec, i) => [`cfg-${i + 1}`, JSON.stringify(spec)]);
    this.silences.replaceConfigured(fresh, kept);
  }

  private decide(output: string, alert: Alert, now: number): Decision | Promise<Decision> {
    const o = this.outputs.get(output);
    if (!this.silences.empty && this.silences.check(alert, output, now)) {
      o?.suppress('silence');
      return 'silence';
    }
    return o?.gated ? o.decide(alert, now) : 'pass';
  }

  private summarize(output: string, state: WindowState): void {
    try {
      this.emit(output, buildSummary(output, state, this.clock.now()));
      this.metrics.summaries.inc({ output });
    } catch (err) {
      this.log.error({ output, err: (err as Error).message }, 'a dedupe summary could not be queued');
    }
  }
}
