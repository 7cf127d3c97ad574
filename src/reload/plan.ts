// What a reload changes: which settings need a restart (kept as they are until then), and for each
// output instance whether it is unchanged, changed (rebuilt, its queue carried over), removed
// (its queue dead-lettered) or new. Pure: config in, plan out (docs/reload.md).
import type { Config } from '../config/schema.ts';
import { sharedOf } from '../config/schema.ts';
import type { OutputInstance } from '../config/instances.ts';

/**
 * Top-level keys read once at start: the listeners and their TLS, the spool, trail and console
 * stores, the metrics registry's labels and the reload watcher itself. A reload that changes one
 * applies the rest and reports these as needing a restart.
 */
export const RESTART_KEYS = ['listenaddress', 'listenport', 'tlsserver', 'ingest', 'spool', 'deadletter', 'trail', 'console', 'prometheus', 'reload'] as const;

/** Output keys that only decide which alerts reach the output: a change recompiles the route or the noise gate, the worker stays. */
const ROUTING_KEYS = new Set(['match', 'minimumpriority', 'dedupe', 'ratelimit']);

export interface OutputPlan {
  unchanged: string[];
  changed: string[];
  added: string[];
  removed: string[];
}

export interface ReloadPlan {
  /** Dotted keys whose new value waits for a restart (the running value stays). */
  restart: string[];
  outputs: OutputPlan;
}

/** What an instance's worker is built from: a different key means a new worker. */
export function workerKey(instance: OutputInstance, config: Config): string {
  const options = Object.fromEntries(Object.entries(instance.options).filter(([key]) => !ROUTING_KEYS.has(key)));
  return JSON.stringify([
    instance.plugin.name,
    options,
    sharedOf(config, instance.plugin),
    // Every output's connection context: client TLS and the enrichment keys (config/…, app.ts).
    config.tlsclient,
    config.mutualtlsfilespath,
    config.mutualtlsclient,
    Object.keys(config.customfields),
    Object.keys(config.templatedfields),
  ]);
}

export function planReload(
  running: { config: Config; keys: ReadonlyMap<string, string> },
  next: { config: Config; instances: readonly OutputInstance[] },
): ReloadPlan {
  const restart: string[] = [];
  for (const key of RESTART_KEYS) {
    const before = running.config[key];
    const after = next.config[key];
    if (typeof before === 'object' && before !== null && typeof after === 'object' && after !== null) {
      for (const sub of new Set([...Object.keys(before), ...Object.keys(after)])) {
        if (JSON.stringify((before as Record<string, unknown>)[sub]) !== JSON.stringify((after as Record<string, unknown>)[sub])) restart.push(`${key}.${sub}`);
      }
    } else if (JSON.stringify(before) !== JSON.stringify(after)) restart.push(key);
  }
  // falco_events_total's extra labels come from customfields and templatedfields (telemetry/metrics.ts).
  if (JSON.stringify([running.config.customfields, Object.keys(running.config.templatedfields)]) !== JSON.stringify([next.config.customfields, Object.keys(next.config.templatedfields)])) {
    restart.push('customfields/templatedfields as falco_events_total labels (the alerts get the new values now)');
  }
  const outputs: OutputPlan = { unchanged: [], changed: [], added: [], removed: [] };
  const names = new Set(next.instances.map((i) => i.name));
  for (const instance of next.instances) {
    const before = running.keys.get(instance.name);
    if (before === undefined) outputs.added.push(instance.name);
    else if (before === workerKey(instance, next.config)) outputs.unchanged.push(instance.name);
    else outputs.changed.push(instance.name);
  }
  for (const name of running.keys.keys()) if (!names.has(name)) outputs.removed.push(name);
  return { restart, outputs };
}
