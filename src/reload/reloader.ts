// Hot reload: read and validate the whole new config, then switch to it between two alerts.
// Unchanged outputs keep their queue, connections and requests in flight; a changed output is
// rebuilt and takes over its predecessor's queue once the requests in flight settled; a removed
// output's queue goes to the dead-letter store (reason output_removed); a new output starts empty.
// Enrichment, routes, noise control and the log level switch in one synchronous step. An invalid
// config changes nothing: the error names every problem, and /healthz says the file is newer
// than what runs (docs/reload.md).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { resolveInstances, type OutputInstance } from '../config/instances.ts';
import type { Config } from '../config/schema.ts';
import type { Clock } from '../dispatch/clock.ts';
import { Router } from '../dispatch/router.ts';
import type { QueueEntry } from '../dispatch/queue-entry.ts';
import type { OutputWorker } from '../dispatch/worker.ts';
import type { Alert } from '../alert/alert.ts';
import type { Enricher } from '../enrich/enrich.ts';
import { ConfigError, type ConfigProblem } from '../errors.ts';
import type { Ingest } from '../ingest/ingest.ts';
import type { NoiseControl } from '../noise/noise.ts';
import { silenceProblems } from '../noise/wire.ts';
import type { SilenceSpec } from '../noise/schema.ts';
import type { AnyOutputPlugin } from '../plugin/types.ts';
import type { CompiledMatch } from '../routing/compile.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { planReload, RESTART_KEYS, workerKey, type OutputPlan, type ReloadPlan } from './plan.ts';

export type ReloadTrigger = 'signal' | 'file' | 'api';

export type ReloadResult =
  | { ok: true; outputs: OutputPlan; restartRequired: string[] }
  | { ok: false; problems: ConfigProblem[] };

/** What the app gives the reloader: its live lists (replaced in place) and how it builds things. */
export interface ReloadDeps {
  /** Reads and validates the config file again (config/load.ts), importing any output it newly mentions into `plugins`; throws ConfigError. */
  load(): Promise<{ config: Config; source: string }> | { config: Config; source: string };
  /** The file the config came from, to tell whether it changed since it was loaded; undefined for the embedded default. */
  file: string | undefined;
  /** Live: load() may add the outputs a new config mentions. */
  plugins: readonly AnyOutputPlugin[];
  config: Config;
  instances: readonly OutputInstance[];
  /** The app's live lists: /healthz, the console, the spool and noise control read them. */
  workers: OutputWorker[];
  filters: Map<string, CompiledMatch>;
  outputNames: string[];
  ingest: Ingest;
  noise: NoiseControl;
  buildWorker(instance: OutputInstance, config: Config): OutputWorker;
  buildPipeline(config: Config): { enrich: Enricher; onAccepted: ((alert: Alert) => void) | undefined };
  onTemplateError(field: string): void;
  /** The app logger's level (loglevel, debug), changed only when the config changes it. */
  setLogLevel(level: string): void;
  metrics: Metrics;
  log: Logger;
  clock: Clock;
}

export interface ConfigStatus {
  source: string;
  loadedAt: string;
  /** 1 at start, +1 per applied reload. */
  generation: number;
  /** true when the file differs from the config running (a reload failed, or none was asked for). */
  stale: boolean;
  lastReload?: { at: string; trigger: ReloadTrigger; ok: boolean; problems?: string[] };
  /** Settings whose new value waits for a restart. */
  restartRequired: string[];
}

export class Reloader {
  private readonly deps: ReloadDeps;
  private running: Config;
  private readonly keys = new Map<string, string>();
  private generation = 1;
  private loadedAt: number;
  private loadedHash: string | undefined;
  private source: string;
  private restartRequired: string[] = [];
  private last: ConfigStatus['lastReload'];
  /** One reload at a time; a trigger during one runs once after it (triggers coalesce). */
  private current: Promise<ReloadResult> | undefined;
  private queued: Promise<ReloadResult> | undefined;
  /** Retiring outputs hand their queues over in the background; shutdown waits for them. */
  private handovers = new Set<Promise<void>>();
  /** Set by settle() (shutdown). */
  private closing = false;
  /** The file was put back to the running config after the last (failed) reload: fileChanged said so. */
  private putBack = false;
  /** Outputs a reload replaced or removed, until their queues are handed over (the spool's evictions reach them too). */
  readonly retiring = new Set<OutputWorker>();

  constructor(deps: ReloadDeps, source: string) {
    this.deps = deps;
    this.running = deps.config;
    this.source = source;
    this.loadedAt = deps.clock.now();
    this.loadedHash = this.fileHash();
    for (const instance of deps.instances) this.keys.set(instance.name, workerKey(instance, deps.config));
    deps.metrics.configReloads.inc({ result: 'success' }, 0);
    deps.metrics.configReloads.inc({ result: 'failure' }, 0);
    deps.metrics.configLastReloadOk.set(1);
    deps.metrics.configLastReloadTime.set(this.loadedAt / 1000);
    deps.metrics.configRestartRequired.set(0);
  }

  /** Reloads; calls made during a reload share one run after it. Never throws. None once shutdown began (settle). */
  reload(trigger: ReloadTrigger): Promise<ReloadResult> {
    if (this.closing) {
      this.deps.log.warn({ trigger }, 'config reload refused: the daemon is shutting down');
      return Promise.resolve({ ok: false, problems: [{ path: '', message: 'the daemon is shutting down: no reload' }] });
    }
    if (this.current) {
      this.queued ??= this.current.then(() => {
        this.queued = undefined;
        return this.reload(trigger);
      });
      return this.queued;
    }
    const run = this.run(trigger).catch((err: Error): ReloadResult => {
      // A bug, not a bad config: say so and keep running on what is in place.
      this.deps.log.error({ trigger, err: err.message }, 'config reload failed unexpectedly; the daemon keeps running');
      return { ok: false, problems: [{ path: '', message: `internal error: ${err.message}` }] };
    });
    this.current = run.finally(() => (this.current = undefined));
    return run;
  }

  /** The file changed on disk (file watcher): reload unless it holds what already runs. */
  fileChanged(): Promise<ReloadResult> | undefined {
    const hash = this.fileHash();
    if (hash !== undefined && hash === this.loadedHash && this.last?.ok === false && !this.putBack) {
      // Put back as it runs after a failed reload: nothing is failing any more (said once).
      this.putBack = true;
      this.deps.metrics.configLastReloadOk.set(1);
      this.deps.log.info({ file: this.deps.file }, 'the config file holds the running config again: the failed reload no longer stands');
    }
    if (hash === undefined || hash === this.loadedHash) return undefined;
    return this.reload('file');
  }

  status(): ConfigStatus {
    const hash = this.fileHash();
    return {
      source: this.source,
      loadedAt: new Date(this.loadedAt).toISOString(),
      generation: this.generation,
      stale: hash !== undefined && hash !== this.loadedHash,
      ...(this.last ? { lastReload: this.last } : {}),
      restartRequired: this.restartRequired,
    };
  }

  /** The running config (restart-only keys as they were at start). */
  get config(): Config {
    return this.running;
  }

  /**
   * Shutdown: no reload starts from now on (one would build outputs the drain never sees), and every
   * queue handover in progress finishes, so no alert is between two workers.
   */
  async settle(): Promise<void> {
    this.closing = true;
    await this.queued?.catch(() => {});
    await this.current?.catch(() => {});
    await Promise.all(this.handovers);
  }

  private async run(trigger: ReloadTrigger): Promise<ReloadResult> {
    const { log, metrics } = this.deps;
    const at = this.deps.clock.now();
    this.putBack = false;
    const hash = this.fileHash();
    let applied: Config;
    let instances: OutputInstance[];
    let plan: ReloadPlan;
    let fresh: Map<string, OutputWorker>;
    try {
      const next = (await this.deps.load()).config;
      const resolved = resolveInstances(next, this.deps.plugins, { onTemplateError: (field) => this.deps.onTemplateError(field) });
      const names = resolved.instances.map((i) => i.name);
      const problems = [...resolved.problems, ...silenceProblems((next.silences ?? []) as SilenceSpec[], names, next.bracketreplacer)];
      if (problems.length) throw new ConfigError(problems);
      instances = resolved.instances;
      plan = planReload({ config: this.running, keys: this.keys }, { config: next, instances });
      // What waits for a restart keeps its running value.
      applied = { ...next, ...Object.fromEntries(RESTART_KEYS.map((key) => [key, this.running[key]])) } as Config;
      fresh = new Map(instances.filter((i) => !plan.outputs.unchanged.includes(i.name)).map((i) => [i.name, this.deps.buildWorker(i, applied)]));
    } catch (err) {
      const problems = err instanceof ConfigError ? err.problems : [{ path: '', message: (err as Error).message }];
      this.last = { at: new Date(at).toISOString(), trigger, ok: false, problems: problems.map((p) => `${p.path || '(root)'}: ${p.message}`) };
      metrics.configReloads.inc({ result: 'failure' });
      metrics.configLastReloadOk.set(0);
      log.error(
        { trigger, problems: this.last.problems, file: this.deps.file },
        `config reload failed: the running config stays (generation ${this.generation}); fix the ${problems.length} problem${problems.length === 1 ? '' : 's'} and save again`,
      );
      return { ok: false, problems };
    }
    this.apply(applied, instances, plan.outputs, fresh);
    this.generation++;
    this.loadedAt = at;
    if (hash !== undefined) this.loadedHash = hash;
    this.restartRequired = plan.restart;
    this.last = { at: new Date(at).toISOString(), trigger, ok: true };
    metrics.configReloads.inc({ result: 'success' });
    metrics.configLastReloadOk.set(1);
    metrics.configLastReloadTime.set(at / 1000);
    metrics.configRestartRequired.set(plan.restart.length);
    const { unchanged, changed, added, removed } = plan.outputs;
    log.info({ trigger, generation: this.generation, added, changed, removed, unchanged: unchanged.length }, 'config reloaded');
    if (plan.restart.length) log.warn({ settings: plan.restart }, 'config reload: these settings take effect at the next restart (the running values stay)');
    return { ok: true, outputs: plan.outputs, restartRequired: plan.restart };
  }

  /** The switch: synchronous from the new routes to the last list replaced, so no alert sees half of it. */
  private apply(config: Config, instances: readonly OutputInstance[], plan: OutputPlan, fresh: ReadonlyMap<string, OutputWorker>): void {
    const d = this.deps;
    const old = new Map(d.workers.map((w) => [w.name, w]));
    const workers = instances.map((i) => fresh.get(i.name) ?? (old.get(i.name) as OutputWorker));
    const router = new Router(workers.map((worker, i) => ({ worker, filter: (instances[i] as OutputInstance).filter })));
    d.ingest.switchTo({ ...d.buildPipeline(config), router });
    d.noise.reconfigure(instances, (config.silences ?? []) as SilenceSpec[], config.bracketreplacer);
    d.workers.splice(0, d.workers.length, ...workers);
    d.outputNames.splice(0, d.outputNames.length, ...workers.map((w) => w.name));
    d.filters.clear();
    for (const instance of instances) d.filters.set(instance.name, instance.filter);
    const level = config.debug ? 'debug' : config.loglevel;
    if (level !== (this.running.debug ? 'debug' : this.running.loglevel)) d.setLogLevel(level);
    this.running = config;
    this.keys.clear();
    for (const instance of instances) this.keys.set(instance.name, workerKey(instance, config));

    for (const name of plan.added) void (fresh.get(name) as OutputWorker).start();
    for (const name of plan.changed) this.handOver(old.get(name) as OutputWorker, fresh.get(name) as OutputWorker);
    for (const name of plan.removed) this.handOver(old.get(name) as OutputWorker, undefined);
  }

  /**
   * The retiring worker finishes what is in flight, then its queue goes to its successor (which
   * starts sending only then, so the backlog keeps its order) or, removed, to the dead letters.
   */
  private handOver(retiring: OutputWorker, successor: OutputWorker | undefined): void {
    const forward = successor ? (entry: QueueEntry) => retiring.handOff(entry, successor) : (entry: QueueEntry) => retiring.deadLetterRemoved([entry]);
    successor?.takeOver(retiring);
    this.retiring.add(retiring);
    const done = retiring.retire(forward).then(
      (left) => {
        if (successor) {
          successor.adopt(retiring, left);
          void successor.start();
          if (left.length) this.deps.log.info({ output: retiring.name, carried: left.length }, 'config reload: the rebuilt output took over its queue');
        } else {
          retiring.deadLetterRemoved(left);
          if (left.length) this.deps.log.warn({ output: retiring.name, deadLettered: left.length }, 'config reload removed an output: its queued alerts are in the dead-letter store (peregrine dlq list)');
        }
      },
      (err: Error) => this.deps.log.error({ output: retiring.name, err: err.message }, 'config reload: handing over the queue failed'),
    );
    this.handovers.add(done);
    void done.finally(() => {
      this.handovers.delete(done);
      this.retiring.delete(retiring);
    });
  }

  private fileHash(): string | undefined {
    if (this.deps.file === undefined) return undefined;
    try {
      return createHash('sha256').update(readFileSync(this.deps.file)).digest('hex');
    } catch {
      return undefined;
    }
  }
}
