// Builds the trail for an app: its store (memory with the spool off, the spool's file with it on,
// none with trail.enabled false) and the activity counters the console shows. Undefined when
// neither the trail nor the console is on: then the hot path calls nothing.
import type { Logger } from 'pino';
import type { Alert } from '../alert/alert.ts';
import type { Clock } from '../dispatch/clock.ts';
import type { Spool } from '../spool/spool.ts';
import { Activity } from './activity.ts';
import type { trailSchema } from './config.ts';
import { MemoryTrailStore } from './memory-store.ts';
import { Trail } from './recorder.ts';
import { SqliteTrailStore } from './sqlite-store.ts';
import type { RouteExplainer } from './types.ts';
import type { z } from 'zod';

export interface TrailSetup {
  config: z.output<typeof trailSchema>;
  consoleEnabled: boolean;
  outputs: readonly string[];
  explain: RouteExplainer;
  spool: Spool | undefined;
  clock: Clock;
  log: Logger;
}

export function createTrail(setup: TrailSetup): Trail | undefined {
  const { config, outputs, explain, spool, clock, log } = setup;
  if (!config.enabled && !setup.consoleEnabled) return undefined;
  let store;
  if (config.enabled && spool) {
    store = new SqliteTrailStore(spool.path, { maxbytes: config.maxbytes, maxagems: config.maxagems, outputs, explain, log, now: () => clock.now() });
  } else if (config.enabled) {
    store = new MemoryTrailStore({ maxalerts: config.maxalerts, maxbytes: config.memorymaxbytes, outputs, explain });
  }
  return new Trail(store, new Activity(), clock);
}

/** Today's routing reason: the output's minimumpriority (the routing matcher will hand its own). */
export function minimumPriorityExplainer(minimums: ReadonlyMap<string, string>): RouteExplainer {
  return (alert: Alert, output: string) => {
    const minimum = minimums.get(output);
    return minimum ? `minimumpriority ${minimum} is above ${alert.priority}` : 'not routed to this output';
  };
}
