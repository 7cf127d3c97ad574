// Quickwit's answers to POST /api/v1/<index>/ingest (its REST API docs, "Ingest data") → outcomes:
// 200 {"num_docs_for_processing":1} (newer versions add "num_ingested_docs" and "num_rejected_docs": a
// document refused by the doc mapping counts there, still a 200); 400 {"message"} a request it
// cannot read; 404 {"message":"index `falco` not found"}; 429 the ingest queue full or the shard
// rate-limited; 500 and 503 (no shard available, the node starting or leaving) to retry.
import { classifyHttp, excerpt, fail, jsonObject, retry, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

export function classifyIngest(res: HttpResponse, now: number, index: string): Outcome {
  const outcome = classifyHttp(res, now);
  if (outcome.kind === 'ok') {
    const body = jsonObject<{ num_rejected_docs?: unknown; parse_failures?: { message?: unknown }[] }>(res.text);
    const rejected = body?.num_rejected_docs;
    if (typeof rejected === 'number' && rejected > 0) return fail(`document rejected by index ${index}: ${excerpt(String(body?.parse_failures?.[0]?.message ?? 'no reason given (detailed_response is off)'))}`);
    return outcome;
  }
  // The index does not exist (deleted, or never created): the alerts wait for it instead of being dead-lettered.
  if (res.status === 404 && /index .*not found/i.test(res.text)) {
    return retry(`HTTP 404: ${excerpt(res.text)} (create the index, or set quickwit.autocreateindex: true and restart the output)`, { auth: true });
  }
  return outcome;
}
