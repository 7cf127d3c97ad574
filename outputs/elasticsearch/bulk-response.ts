// One classification of _bulk answers for both transports. A 200 may still carry per-item
// failures (`errors: true`, items in request order): 2xx = delivered, 409 on `create` = already
// indexed (an idempotent replay, still a success), 429/5xx = retry that alert only, 401/403 =
// credentials (wait), other 4xx (mapping conflicts, …) = dead-letter with Elasticsearch's reason.
// A 429 that is the cluster shedding load (a full write queue, a circuit breaker), not a block on
// the item's index, is the cluster's state: those items share one outcome, never their own
// (result.ts notOwn), so the output backs off instead of setting them aside.
import { classifyHttp, excerpt, fail, notOwn, ok, partial, refusal, retry, type Outcome, type SendResult } from '../../src/plugin/index.ts';

/** A server answer, whichever transport got it: `body` is parsed JSON when it was JSON, else text. */
export interface EsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

interface EsError {
  type?: string;
  reason?: string;
  caused_by?: { type?: string; reason?: string };
}

interface BulkItem {
  status?: number;
  error?: EsError | string;
}

const CREDENTIALS_HINT = 'check elasticsearch.username/password or elasticsearch.apikey';

export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  try {
    return JSON.stringify(body);
  } catch {
    return String(body);
  }
}

/** "mapper_parsing_exception: failed to parse field [x] … (caused by: …)" from an ES/OpenSearch error object. */
export function errorReason(error: unknown): string {
  if (typeof error === 'string') return excerpt(error, 500);
  if (!error || typeof error !== 'object') return 'no error detail';
  const e = error as EsError;
  const cause = e.caused_by?.reason ? ` (caused by ${e.caused_by.type ?? 'error'}: ${e.caused_by.reason})` : '';
  return excerpt(`${e.type ?? 'error'}: ${e.reason ?? 'no reason given'}${cause}`, 500);
}

/** The outcome of a non-2xx answer to a whole request (_bulk or any other call). */
function classifyRequestFailure(res: EsResponse, what: string, now: number = Date.now()): Outcome {
  const detail = (res.body as { error?: unknown } | null)?.error;
  const reason = detail && typeof detail === 'object' ? errorReason(detail) : excerpt(bodyText(res.body));
  if (res.status === 401 || res.status === 403) {
    return retry(`${what}: HTTP ${res.status} ${reason} (credentials refused: ${CREDENTIALS_HINT})`, { auth: true });
  }
  if (res.status === 413) {
    return fail(`${what}: HTTP 413 request too large: lower elasticsearch.batch.maxbytes below the cluster's http.max_content_length`);
  }
  const outcome = classifyHttp({ status: res.status, headers: res.headers, text: '' }, now);
  const text = `${what}: HTTP ${res.status}${reason ? ` ${reason}` : ''}`;
  if (outcome.kind === 'retry') return retry(text, outcome.afterMs === undefined ? undefined : { afterMs: outcome.afterMs });
  return outcome.kind === 'fail' ? refusal(res.status, text) : outcome;
}

function classifyItem(item: BulkItem | undefined): Outcome {
  const status = item?.status;
  if (status === undefined) return retry('_bulk item without a status');
  if (status >= 200 && status < 300) return ok();
  if (status === 409) return ok({ duplicate: true });
  const reason = `HTTP ${status} ${errorReason(item?.error)}`;
  if (status === 429 || (status >= 500 && status !== 501)) return retry(reason);
  if (status === 401 || status === 403) return retry(`${reason} (${CREDENTIALS_HINT}, and the index privileges)`, { auth: true });
  return fail(reason);
}

/** A 429 item that is not a block on its index (the flood-stage disk watermark blocks an index with 429 too). */
function sheddingLoad(item: BulkItem | undefined): boolean {
  return item?.status === 429 && !(typeof item.error === 'object' && item.error.type === 'cluster_block_exception');
}

/** Classifies a _bulk answer for `count` documents sent in alert order. */
export function classifyBulk(res: EsResponse, count: number, now: number = Date.now()): SendResult {
  if (res.status < 200 || res.status >= 300) return classifyRequestFailure(res, '_bulk', now);
  const body = res.body as { errors?: boolean; items?: Record<string, BulkItem>[] } | null;
  if (!body || typeof body !== 'object' || !Array.isArray(body.items)) {
    return retry(`_bulk: HTTP ${res.status} without items: ${excerpt(bodyText(res.body))}`);
  }
  if (body.items.length !== count) return retry(`_bulk: ${body.items.length} items in the answer for ${count} documents sent`);
  if (body.errors === false) return ok();
  const outcomes: Outcome[] = new Array(count);
  let allOk = true;
  let shedding: Outcome | undefined;
  for (let i = 0; i < count; i++) {
    const entry = body.items[i];
    // One key per item: the op name (`create`; `index` from proxies that rewrite it).
    const item = entry ? (entry.create ?? entry.index ?? Object.values(entry)[0]) : undefined;
    const outcome = sheddingLoad(item) ? (shedding ??= notOwn(`HTTP 429 ${errorReason(item?.error)} (the cluster is shedding load)`)) : classifyItem(item);
    if (outcome.kind !== 'ok' || outcome.duplicate) allOk = false;
    outcomes[i] = outcome;
  }
  return allOk ? ok() : partial(outcomes);
}
