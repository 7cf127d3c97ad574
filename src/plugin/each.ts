// One request per alert, for destinations without a batch API (PagerDuty, Opsgenie).
import { partial, retry, type Outcome, type SendResult } from '../dispatch/result.ts';

/**
 * Sends the alerts one by one, in order. A thrown error is a retry (network, timeout). Once one
 * alert must be retried (throttled, down), the rest are not sent: they would get the same answer,
 * and they wait with it for the worker's next attempt. They share one outcome, a copy of its: the
 * core reads one object for several alerts as a failure they had together, and the alert's own
 * object as its own answer (retry-policy.ts), which may be about it alone (set-aside.ts). A single
 * alert left unsent reads as answered alone; at worst it is set aside and tried again by itself.
 */
export async function sendEach<T>(alerts: readonly T[], send: (alert: T) => Promise<Outcome>): Promise<SendResult> {
  const outcomes: Outcome[] = [];
  for (const alert of alerts) {
    let outcome: Outcome;
    try {
      outcome = await send(alert);
    } catch (err) {
      outcome = retry((err as Error).message);
    }
    outcomes.push(outcome);
    if (outcome.kind === 'retry') {
      const unsent: Outcome = { ...outcome, reason: `not sent: the alert before it failed (${outcome.reason})` };
      while (outcomes.length < alerts.length) outcomes.push(unsent);
      break;
    }
  }
  return partial(outcomes);
}
