// Confluent REST Proxy's answers to a produce request → outcomes (kafka-rest Errors and
// KafkaExceptionMapper; API reference "POST /topics/(string:topic_name)"):
//   200 {"offsets":[{"partition","offset","error_code","error"}, …]}: one entry per record, in
//       order; error_code null when produced, else the proxy's code: 2 (older proxies) and 50003
//       a retriable Kafka error, 50302 no broker available, 40101/40301 credentials or ACLs,
//       1 (older proxies), 50002 and others a Kafka error that will not change;
//   errors {"error_code":<code>,"message"}: 40101/401 and 40301/403 credentials or ACLs; 40401
//   topic not found, 40402 partition not found, 40403 unknown topic or partition; 40002 and 422xx
//   (42201-42206) a request it cannot take; 415/406 a media type it does not serve; 42901/429
//   throttled; 50002 Kafka error, 50003 retriable Kafka error, 50302 broker not available.
import { classifyHttp, excerpt, fail, jsonObject, ok, partial, refusal, retry, type HttpResponse, type SendResult } from '../../src/plugin/index.ts';

interface ErrorBody {
  error_code?: unknown;
  message?: unknown;
}

interface ProduceBody {
  offsets?: { error_code?: unknown; error?: unknown }[];
}

const TOPIC_GONE = new Set([40401, 40402, 40403]);
/** A record's error_code that another try may fix (kafka-rest's ProduceToTopicAction: 50003 retriable, 50302 no broker; 2 from v1 proxies). */
const RECORD_RETRIABLE = new Set([2, 50003, 50302]);
const RECORD_AUTH = new Set([40101, 40301]);

function errorText(res: HttpResponse): string {
  const body = jsonObject<ErrorBody>(res.text);
  if (body && (typeof body.error_code === 'number' || typeof body.message === 'string')) return `HTTP ${res.status}: error_code ${String(body.error_code)}: ${excerpt(String(body.message ?? ''))}`;
  return `HTTP ${res.status}${res.text ? `: ${excerpt(res.text)}` : ''}`;
}

/** `count`: the records in the request; a 200 is judged record by record. */
export function classifyProduce(res: HttpResponse, now: number, count: number): SendResult {
  if (res.status >= 200 && res.status < 300) return offsetsOutcome(res, count);
  const detail = errorText(res);
  const code = jsonObject<ErrorBody>(res.text)?.error_code;
  if (res.status === 404 && typeof code === 'number' && TOPIC_GONE.has(code)) return refusal(404, `${detail} (create the topic, or check the topic in kafkarest.address)`);
  const outcome = classifyHttp(res, now);
  if (outcome.kind === 'retry') return retry(outcome.auth ? `${detail} (credentials or ACLs refused: check the proxy's authentication and the topic's ACLs)` : detail, { ...(outcome.afterMs === undefined ? {} : { afterMs: outcome.afterMs }), ...(outcome.auth ? { auth: true } : {}) });
  if (res.status >= 300 && res.status < 400) return outcome;
  return outcome.kind === 'fail' ? refusal(res.status, res.status === 404 || res.status === 410 ? `${detail} (no REST Proxy topic here: kafkarest.address is http(s)://<proxy>/topics/<topic>)` : detail) : outcome;
}

function offsetsOutcome(res: HttpResponse, count: number): SendResult {
  const offsets = jsonObject<ProduceBody>(res.text)?.offsets;
  // No per-record answer to read (another proxy, an empty body): the request was taken.
  if (!Array.isArray(offsets) || offsets.length !== count || offsets.every((o) => o?.error_code === null || o?.error_code === undefined)) return ok();
  return partial(
    offsets.map((o) => {
      if (o?.error_code === null || o?.error_code === undefined) return ok();
      const reason = `record not produced: error_code ${String(o.error_code)}: ${excerpt(String(o.error ?? ''))}`;
      if (RECORD_RETRIABLE.has(o.error_code as number)) return retry(reason);
      if (RECORD_AUTH.has(o.error_code as number)) return retry(`${reason} (credentials or ACLs refused: check the proxy's authentication and the topic's ACLs)`, { auth: true });
      return fail(reason);
    }),
  );
}
