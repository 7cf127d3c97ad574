// HEC answers → outcomes. HEC reports a reason code in a JSON body beside the HTTP status:
// https://docs.splunk.com/Documentation/Splunk/latest/Data/TroubleshootHTTPEventCollector
//
// A rejected batch: HEC reads the envelopes in order and stops at the first bad one, whose
// zero-based position it returns as `invalid-event-number`; the events before it were already
// handed to the indexer (moby/moby#35862 shows it: in a 3-event body with a malformed 2nd event,
// HEC answers `"invalid-event-number":1` and the 1st is indexed, the 3rd is not). So: before → ok,
// that one → dead-letter, after → re-send.
// The OpenTelemetry receiver of the integration tests differs: it drops the whole request on such an
// answer (code 15 for a nested indexed field). We never send one (indexed fields are flattened),
// so that receiver never gives this answer to Peregrine; the fault-injection tests cover it.
import { excerpt, fail, ok, partial, refusal, retry, retryAfterMs, type HttpResponse, type Outcome, type SendResult } from '../../src/plugin/index.ts';

export interface HecReply {
  text?: string;
  code?: number;
  'invalid-event-number'?: number;
  ackId?: number;
}

/** The JSON reply, or undefined when the body is not HEC's JSON (a proxy page, the collector's 401 text). */
export function parseHecReply(text: string): HecReply | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as HecReply) : undefined;
  } catch {
    return undefined;
  }
}

const AUTH_CODES = new Set([1, 2, 3, 4]); // token disabled, token required, invalid authorization, invalid token
const PER_EVENT_CODES = new Set([6, 12, 13, 15]); // invalid data format, event field required, event field blank, indexed fields

function describe(res: HttpResponse, reply: HecReply | undefined): string {
  if (reply && typeof reply.code === 'number') return `HEC code ${reply.code} (HTTP ${res.status}): ${reply.text ?? ''}`.trim();
  return `HTTP ${res.status}${res.text ? `: ${excerpt(res.text)}` : ''}`;
}

/** Classifies a non-2xx answer to an event POST of `size` envelopes. */
export function classifyHecFailure(res: HttpResponse, size: number, now: number = Date.now()): SendResult {
  const reply = parseHecReply(res.text);
  const code = typeof reply?.code === 'number' ? reply.code : undefined;
  const detail = describe(res, reply);

  if (res.status === 401 || res.status === 403 || (code !== undefined && AUTH_CODES.has(code))) {
    return retry(`${detail} (token refused: check splunk.token and that the token is enabled)`, { auth: true });
  }
  if (code === 10 || code === 11) {
    // The token has indexer acknowledgement on (or the channel is bad): a configuration fix, not a data problem.
    return retry(`${detail} (the token requires indexer acknowledgement: set splunk.useack: true)`, { auth: true });
  }
  if (res.status === 429 || res.status === 408 || code === 9 || (res.status >= 500 && res.status !== 501)) {
    const afterMs = retryAfterMs(res.headers['retry-after'], now);
    return retry(detail, afterMs === undefined ? undefined : { afterMs });
  }

  const invalid = reply?.['invalid-event-number'];
  const at = typeof invalid === 'number' && Number.isInteger(invalid) && invalid >= 0 && invalid < size ? invalid : undefined;
  if (at !== undefined && code === 7) {
    // Incorrect index: the index is the same for every event of the batch, so the rest would fail too.
    return partial(Array.from({ length: size }, (_, i) => (i < at ? ok() : fail(detail))));
  }
  if (at !== undefined && (code === undefined || PER_EVENT_CODES.has(code))) {
    const rest = retry(`re-sent: HEC stopped at event ${at} of the batch (${detail})`, { afterMs: 0 });
    return partial(Array.from({ length: size }, (_, i): Outcome => (i < at ? ok() : i === at ? fail(`${detail} (event ${at} of the batch)`) : rest)));
  }
  if (res.status === 413) return fail(`${detail} (request larger than HEC's max_content_length: lower batch.maxbytes)`);
  return refusal(res.status, detail);
}
