// One batch → its planned messages, posted one after another at the service's pace. Each alert's
// outcome is that of the message carrying it; a message that must be retried stops the batch (the
// rest waits with it, in order), a dead webhook dead-letters the rest with the same reason.
import type { Dispatcher } from 'undici';
import { notOwn, partial, retry, sendHttp, type Outcome, type SendResult } from '../../src/plugin/index.ts';
import type { ChatVerdict } from './classify.ts';
import type { ChatFlavour } from './flavour.ts';
import type { Pacer } from './pacer.ts';
import type { PlannedMessage } from './summary.ts';

export interface ChatTarget {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  pacer: Pacer;
  flavour: ChatFlavour;
}

/** A hold longer than this ends the send: its messages are retried after the hold. */
const LONG_WAIT_MS = 2000;

export async function postMessages(plan: readonly PlannedMessage[], size: number, target: ChatTarget, signal: AbortSignal, now: () => number): Promise<SendResult> {
  const outcomes: Outcome[] = new Array<Outcome>(size);
  /** Message `from` ends with `outcome`, and the rest with it; a retry leaves them not sent (notOwn). */
  const settle = (from: number, outcome: Outcome) => {
    const rest = outcome.kind === 'retry' ? notOwn(`not sent: an earlier message failed (${outcome.reason})`, outcome) : outcome;
    plan.slice(from).forEach((planned, k) => {
      for (const i of planned.alerts) outcomes[i] = k === 0 ? outcome : rest;
    });
  };
  for (const [m, planned] of plan.entries()) {
    const wait = target.pacer.waitMs();
    if (wait > LONG_WAIT_MS) {
      // The service asked for a long wait (a 429, a spent rate window): the rest goes after it as a
      // retry, instead of holding this send (and its deadline) open.
      const held = notOwn(`not sent: ${target.flavour.service} asked to wait ${Math.ceil(wait / 1000)} s (rate limit)`, { afterMs: wait });
      for (const later of plan.slice(m)) for (const i of later.alerts) outcomes[i] = held;
      break;
    }
    let verdict: ChatVerdict;
    try {
      await target.pacer.take(signal);
      const res = await sendHttp(target.pool, { path: target.path, method: 'POST', headers: target.headers, body: JSON.stringify(planned.message), signal });
      verdict = target.flavour.classify(res, now());
      const hold = target.flavour.holdAfter(res, now());
      if (hold !== undefined) target.pacer.holdFor(hold);
      const window = target.flavour.window?.(res, now());
      if (window) target.pacer.noteWindow(window.remaining, window.resetInMs);
    } catch (err) {
      // Timed out or the network failed: this message and the rest are tried again (a message the
      // network lost after the service took it may then show twice).
      settle(m, retry((err as Error).message));
      break;
    }
    if (verdict.scope === 'rest') {
      settle(m, verdict.outcome);
      break;
    }
    for (const i of planned.alerts) outcomes[i] = verdict.outcome;
  }
  return partial(outcomes);
}
