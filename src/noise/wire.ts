// Builds noise control for the app: one OutputNoise per output instance, the configured silences,
// and how a summary reaches its output (spooled first when the spool is on, like any alert).
import type { Logger } from 'pino';
import type { Alert } from '../alert/alert.ts';
import { alertBytes, serializeAlert } from '../alert/serialize.ts';
import type { Config, OutputSection } from '../config/schema.ts';
import type { Clock } from '../dispatch/clock.ts';
import type { OutputWorker } from '../dispatch/worker.ts';
import { ConfigError, type ConfigProblem } from '../errors.ts';
import { compileMatch } from '../routing/compile.ts';
import type { Spool } from '../spool/spool.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { NoiseControl } from './noise.ts';
import { RedisDedupe } from './redis-dedupe.ts';
import type { SilenceSpec } from './schema.ts';

export interface NoiseWiring {
  clock: Clock;
  metrics: Metrics;
  log: Logger;
  spool: Spool | undefined;
}

/** What is wrong with the config's silences for these outputs: an unknown output, a match that does not compile. */
export function silenceProblems(silences: readonly SilenceSpec[], names: readonly string[], bracketreplacer: string): ConfigProblem[] {
  const problems: ConfigProblem[] = silences.flatMap((s, i) =>
    (s.outputs ?? []).filter((o) => !names.includes(o)).map((o) => ({ path: `silences.${i}.outputs`, message: `unknown output "${o}"; outputs: ${names.join(', ') || 'none'}` })),
  );
  silences.forEach((s, i) => {
    try {
      compileMatch(s.match, { bracketreplacer, path: ['silences', i, 'match'] });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  });
  return problems;
}

export function createNoise(config: Config, instances: readonly { name: string; options: OutputSection }[], workers: readonly OutputWorker[], deps: NoiseWiring): NoiseControl {
  const silences = (config.silences ?? []) as SilenceSpec[];
  const problems = silenceProblems(silences, instances.map((i) => i.name), config.bracketreplacer);
  if (problems.length) throw new ConfigError(problems);
  const log = deps.log.child({ component: 'noise' });
  const emit = (output: string, alert: Alert) => {
    // `workers` is the app's live list (a reload replaces its contents): summaries are rare, a scan is cheap.
    const worker = workers.find((w) => w.name === output);
    if (!worker) return void log.info({ output, rule: alert.rule }, 'a dedupe summary was not sent: its output was removed by a config reload');
    const json = serializeAlert(alert);
    const bytes = alertBytes(json);
    const now = deps.clock.now();
    if (!deps.spool) return void worker.enqueue(alert, bytes, now);
    deps.spool.append(alert, json, bytes, [output], now).then(
      (spoolId) => worker.enqueue(alert, bytes, now, { spoolId }),
      (err: Error) => log.error({ output, uuid: alert.uuid, err: err.message }, 'a dedupe summary could not be written to the spool: not sent'),
    );
  };
  return new NoiseControl(instances, silences, {
    clock: deps.clock,
    metrics: deps.metrics,
    log,
    emit,
    bracketreplacer: config.bracketreplacer,
    shared: (output, section, hooks) => new RedisDedupe(output, section, hooks.summarize, { ...hooks, clock: deps.clock, log }),
  });
}
