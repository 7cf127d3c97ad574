// One request per alert, for destinations without a batch API (PagerDuty, Opsgenie).
import { notOwn, partial, retry, type Outcome, type SendResult } from '../dispatch/result.ts';

/**
 * Sends the alerts one by one, in order. A thrown error is a retry (network, timeout). Once one
 * alert must be retried (throttled, down), the rest are not sent: they would get the same answer,
 * and they wait with it for the worker's next attempt, as not sent (result.ts notOwn).
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
      const unsent = notOwn(`not sent: the alert before it failed (${outcome.reason})`, outcome);
      while (outcomes.length < alerts.length) outcomes.push(unsent);
      break;
    }
  }
  return partial(outcomes);
}
