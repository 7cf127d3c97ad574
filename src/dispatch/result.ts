// What a plugin returns for a batch. Plugins classify; the worker decides what happens next.

export type Outcome =
  | { readonly kind: 'ok'; readonly duplicate?: boolean }
  | { readonly kind: 'retry'; readonly reason: string; readonly afterMs?: number; readonly auth?: boolean; readonly wholeCall?: true; readonly notOwn?: true }
  | { readonly kind: 'fail'; readonly reason: string; readonly wholeCall?: true; readonly whole?: true };

/** Either one outcome for the whole batch, or one per alert in batch order. */
export type SendResult = Outcome | { readonly kind: 'partial'; readonly items: readonly Outcome[] };

const OK: Outcome = Object.freeze({ kind: 'ok' });

/** Delivered. `duplicate`: the destination already had it (an idempotent replay), still a success. */
export function ok(options?: { duplicate?: boolean }): Outcome {
  return options?.duplicate ? { kind: 'ok', duplicate: true } : OK;
}

/**
 * Not delivered, try again later. `afterMs` (e.g. from Retry-After) overrides the backoff, within
 * the retry bounds; `auth` marks credentials the destination refused, which makes the output
 * "failing" in /healthz while its alerts keep waiting in the queue.
 */
export function retry(reason: string, options?: { afterMs?: number; auth?: boolean }): Outcome {
  return { kind: 'retry', reason, ...options };
}

/**
 * The destination refused these alerts for good (e.g. a mapping error): they go to the dead-letter
 * store. A batch refused whole is first sent again in halves to find the alert at fault
 * (retry-policy.ts), unless `whole`: the refusal is not about an alert in it (a wrong path: 404,
 * 405, 410) or the destination kept part of the batch and must not get it again (OTLP's partial
 * success).
 */
export function fail(reason: string, options?: { whole?: true }): Outcome {
  return options?.whole ? { kind: 'fail', reason, whole: true } : { kind: 'fail', reason };
}

/**
 * The outcome of one call of several alerts, inside a batch answered per alert (an output that makes
 * several calls per batch): the same object for each alert of the call. When it is a refusal or a
 * plain error, the core sends those alerts again in halves, as for a batch that failed whole
 * (retry-policy.ts).
 */
export function wholeCall(outcome: Outcome): Outcome {
  return outcome.kind === 'ok' ? outcome : { ...outcome, wholeCall: true };
}

/**
 * A retry that is not about this alert, though it is answered apart from the others: the alert was
 * not sent (another alert's failure or the deadline stopped the batch before it), or the destination
 * named its own state (a cluster shedding load). Never read as the alert's own failure (set-aside.ts).
 * `options`: a Retry-After or refused credentials it shares (another outcome may be passed as is).
 */
export function notOwn(reason: string, options: { afterMs?: number | undefined; auth?: boolean | undefined } = {}): Outcome {
  const { afterMs, auth } = options;
  return { kind: 'retry', reason, ...(afterMs === undefined ? {} : { afterMs }), ...(auth ? { auth } : {}), notOwn: true };
}

/**
 * One outcome per alert, in the order of the batch (Elasticsearch bulk items, Security Hub
 * FailedFindings). Give each alert the destination answered apart an outcome object of its own, and
 * alerts that failed together (one call, one message) one shared object; an alert not sent, or failed
 * for the destination's state, gets notOwn(). A failure of an alert's own that recurs while others
 * are delivered sets it aside (set-aside.ts); a shared one or a notOwn() one never does.
 */
export function partial(items: readonly Outcome[]): SendResult {
  return { kind: 'partial', items };
}

/**
 * The kind a send came to, for the metrics: a per-alert result whose alerts all fared alike is that
 * kind (a webhook sends one request per alert and answers per alert; its sends are `ok`, not
 * `partial`). `partial` only when the batch's alerts fared differently.
 */
export function resultKind(result: SendResult): SendResult['kind'] {
  if (result.kind !== 'partial') return result.kind;
  const first = result.items[0]?.kind;
  return first !== undefined && result.items.every((o) => o.kind === first) ? first : 'partial';
}

const MISSING: Outcome = Object.freeze(notOwn('the output returned no outcome for this alert'));

export function outcomeAt(result: SendResult, index: number): Outcome {
  if (result.kind !== 'partial') return result;
  return result.items[index] ?? MISSING;
}
