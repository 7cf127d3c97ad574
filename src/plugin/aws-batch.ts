// The answer of an AWS batch call that reports each entry (SQS SendMessageBatch, SNS PublishBatch):
// `Successful[]` and `Failed[]` by entry Id → one outcome per alert.
import { fail, ok, retry, type Outcome } from '../dispatch/result.ts';
import { entryCodeOutcome } from './aws-errors.ts';

export interface BatchAnswer {
  Successful?: { Id?: string }[];
  Failed?: { Id?: string; SenderFault?: boolean; Code?: string; Message?: string }[];
}

/**
 * A `Failed[]` entry: throttling or unusable credentials/keys by their code (entryCodeOutcome); else
 * the sender's fault is permanent, anything else is the service's and is retried.
 */
function classifyFailedEntry(f: { SenderFault?: boolean; Code?: string; Message?: string }, service: string): Outcome {
  const detail = `${f.Code ?? 'Unknown'}: ${f.Message ?? ''}`.trim();
  const byCode = entryCodeOutcome(f.Code, service, detail);
  if (byCode) return byCode;
  return f.SenderFault ? fail(`${service} refused the message: ${detail}`) : retry(`${service} failed the message: ${detail}`);
}

/** Fills `outcomes` (by each entry's `index`) from the answer to one call carrying `chunk`. */
export function settleBatchAnswer(chunk: readonly { index: number; id: string }[], answer: BatchAnswer, outcomes: Outcome[], service: string): void {
  const byId = new Map(chunk.map((e) => [e.id, e]));
  for (const e of chunk) outcomes[e.index] = ok();
  for (const f of answer.Failed ?? []) {
    const entry = byId.get(f.Id ?? '');
    if (entry) outcomes[entry.index] = classifyFailedEntry(f, service);
  }
  // An entry in neither list: the service did not say it took it, so it is sent again.
  const answered = new Set([...(answer.Successful ?? []), ...(answer.Failed ?? [])].map((e) => e.Id));
  for (const e of chunk) if (!answered.has(e.id)) outcomes[e.index] = retry(`${service} answered without this entry`);
}
