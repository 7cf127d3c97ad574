// OpenObserve's answers to its logs ingestion (`/api/<org>/<stream>/_multi`, ndjson) → outcomes:
// 200 {"code":200,"status":[{"name":<stream>,"successful":n,"failed":m,"error"?:…}]} (a record
// refused, e.g. "too old data" or a field's type against the stream's schema, is a 200 with failed
// > 0 and the error); 400 {"code":400,"message"}; 401 "Unauthorized Access"; 403 a user without the
// right; 429 and 503 (ingestion held back: memtable or disk full, rate limited) to retry.
import { classifyHttp, excerpt, fail, jsonObject, refusal, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface IngestBody {
  status?: { name?: unknown; successful?: unknown; failed?: unknown; error?: unknown }[];
}

export function classifyIngest(res: HttpResponse, now: number): Outcome {
  const outcome = classifyHttp(res, now);
  if (outcome.kind === 'ok') {
    const refused = jsonObject<IngestBody>(res.text)?.status?.find((s) => typeof s?.failed === 'number' && s.failed > 0);
    return refused ? fail(`record refused by stream ${String(refused.name)}: ${excerpt(String(refused.error ?? 'no reason given'))}`) : outcome;
  }
  if (outcome.kind === 'retry' && outcome.auth) return { ...outcome, reason: outcome.reason.replace("check the output's token/username/password", 'check openobserve.username/password') };
  if ((res.status === 404 || res.status === 405 || res.status === 410) && outcome.kind === 'fail') return refusal(res.status, `${outcome.reason} (no OpenObserve ingestion here: check openobserve.hostport and organizationname)`);
  return outcome;
}
