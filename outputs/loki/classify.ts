// Loki's answers to a push → outcomes.
//
// Loki validates every entry and still stores the valid ones when some fail; it then answers 400
// with the first problems in text ("entry for stream '{…}' has timestamp too old: …", "entry with
// timestamp … ignored, reason: 'entry too far behind, oldest acceptable timestamp is: …'",
// "… out of order", "line too long", "has more than 15 labels", "… invalid labels"). The body
// does not identify every rejected entry, so a 400 is a refusal of the whole batch, which the core
// sends again in halves until the entry refused is alone (src/dispatch/retry-policy.ts). Re-sending
// is harmless: Loki drops an entry whose stream, timestamp and line equal one it holds, so the ones
// it had accepted are not duplicated.
// 429 (rate limit) and 5xx are retried (Retry-After honoured); 401/403 wait for credentials.
import { classifyHttp, excerpt, fail, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

const ENTRY_PROBLEMS: readonly [RegExp, string][] = [
  [/too old|too far behind|out of order|greater than .*max|too far in the future|too new/i, 'entry timestamp outside what Loki accepts (reject_old_samples_max_age / out-of-order window / creation_grace_period)'],
  [/line too long|max_line_size/i, 'log line longer than Loki\'s max_line_size (use format: text, or raise the limit)'],
  [/label/i, 'stream labels refused (count, name or value length: see the loki output docs on labels)'],
];

export function classifyPush(res: HttpResponse, now?: number): Outcome {
  if (res.status === 400) {
    const hint = ENTRY_PROBLEMS.find(([re]) => re.test(res.text))?.[1];
    return fail(`HTTP 400 from Loki${hint ? ` (${hint})` : ''}: ${excerpt(res.text)}`);
  }
  if (res.status === 413) return fail(`HTTP 413 from Loki: request too large; lower loki.batch.maxbytes (${excerpt(res.text)})`);
  return classifyHttp(res, now);
}
