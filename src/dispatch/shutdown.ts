// The end of a drain at shutdown: the requests still in flight are aborted and given a grace period
// to settle (an aborted request settles as a retry and puts its alerts back in the queue); a client
// that ignores the signal has its alerts reported as in doubt. Time comes from the injected clock.
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { InFlight } from './in-flight.ts';

/** How long shutdown waits for aborted requests to settle before reporting their alerts in doubt. */
const ABORT_GRACE_MS = 2000;

export async function abortInFlight(inFlight: InFlight, clock: Clock, log: Logger): Promise<void> {
  inFlight.abortAll(new Error('shutting down'));
  await within(clock, ABORT_GRACE_MS, inFlight.settled());
  if (inFlight.requests > 0) log.error({ inDoubt: inFlight.alerts }, 'requests still in flight at shutdown: delivery of these alerts is unknown');
}

/** Waits for `promise`, at most `ms` on `clock`. */
export async function within(clock: Clock, ms: number, promise: Promise<void>): Promise<void> {
  let timer: unknown;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = clock.setTimeout(resolve, ms)))]);
  clock.clearTimeout(timer);
}
