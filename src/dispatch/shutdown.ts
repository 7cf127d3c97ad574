// The end of a drain at shutdown: the requests still in flight are aborted and given a grace period
// to settle (an aborted request settles as a retry and puts its alerts back in the queue); a client
// that ignores the signal has its alerts given up on, in doubt: they end with the drain's leftovers.
// Time comes from the injected clock.
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { InFlight } from './in-flight.ts';
import type { QueueEntry } from './queue-entry.ts';

/** How long shutdown waits for aborted requests to settle before giving their alerts up as in doubt. */
const ABORT_GRACE_MS = 2000;

/** Aborts the requests in flight; returns the alerts of those that did not settle within the grace. */
export async function abortInFlight(inFlight: InFlight, clock: Clock, log: Logger): Promise<QueueEntry[]> {
  inFlight.abortAll(new Error('shutting down'));
  await within(clock, ABORT_GRACE_MS, inFlight.settled());
  if (inFlight.requests === 0) return [];
  log.error({ inDoubt: inFlight.alerts }, 'requests still in flight at shutdown: delivery of these alerts is unknown (counted with what is left)');
  return inFlight.abandon();
}

/** Waits for `promise`, at most `ms` on `clock`. */
export async function within(clock: Clock, ms: number, promise: Promise<void>): Promise<void> {
  let timer: unknown;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = clock.setTimeout(resolve, ms)))]);
  clock.clearTimeout(timer);
}
