// OpenObserve's logs ingestion, `_multi` (openobserve.ai docs, API reference "Ingestion → Logs →
// Multi"): POST /api/<org>/<stream>/_multi, basic auth (or a token) else 401 "Unauthorized Access",
// the body newline-delimited JSON objects (each a record, ≤ 200 fields as documented for _json).
// Answers: 200 {"code":200,"status":[{"name":<stream>,"successful":n,"failed":m}]} (with "error"
// when a record is refused, e.g. too old); 400 {"code":400,"message"}; 503 when ingestion is held
// back (memtable or disk full). OpenObserve is AGPL: this stand-in replaces a real server in tests.
import { SaasReceiver, type Answer, type Fault, type VendorSpec } from './saas-receiver.ts';

export interface OpenObserveStandIn {
  receiver: SaasReceiver;
  /** Each record taken, parsed, per "<org>/<stream>". */
  stored: Map<string, Record<string, unknown>[]>;
  /** The error to refuse a record with (a 200 with failed 1), or undefined to take it. */
  recordError?: (record: Record<string, unknown>) => string | undefined;
}

const PATH = /^\/api\/([^/]+)\/([^/]+)\/_multi$/;
const MAX_FIELDS = 200;

function spec(state: Omit<OpenObserveStandIn, 'receiver'>, authorization: string): VendorSpec {
  const records = (body: string) => body.split('\n').filter((l) => l.trim() !== '');
  const self: VendorSpec = {
    authorize(req) {
      return req.headers.authorization === authorization ? undefined : { status: 401, body: 'Unauthorized Access' };
    },
    validate(req) {
      if (req.method !== 'POST' || !PATH.test(req.url)) return [`${req.method} ${req.url} is not POST /api/<org>/<stream>/_multi`];
      const problems: string[] = [];
      const lines = records(req.body);
      if (lines.length === 0) problems.push('no record');
      lines.forEach((line, i) => {
        try {
          const record = JSON.parse(line) as unknown;
          if (record === null || typeof record !== 'object' || Array.isArray(record)) problems.push(`line ${i + 1} is not a JSON object`);
        } catch {
          problems.push(`line ${i + 1} is not JSON`);
        }
      });
      return problems;
    },
    accept(req) {
      const [, org, stream] = PATH.exec(req.url) as RegExpExecArray;
      const key = `${org}/${stream}`;
      const stored = state.stored.get(key) ?? [];
      state.stored.set(key, stored);
      let successful = 0;
      const errors: string[] = [];
      for (const line of records(req.body)) {
        const record = JSON.parse(line) as Record<string, unknown>;
        const flat = Object.keys(record).length + Object.keys((record.output_fields as object | undefined) ?? {}).length;
        const error = flat > MAX_FIELDS ? `too many fields: ${flat}` : state.recordError?.(record);
        if (error) errors.push(error);
        else {
          stored.push(record);
          successful++;
        }
      }
      return { status: 200, body: { code: 200, status: [{ name: stream, successful, failed: errors.length, ...(errors.length ? { error: errors.join('; ') } : {}) }] } };
    },
    reject(problems) {
      return { status: 400, body: { code: 400, message: problems.join('; ') } };
    },
    fault(fault: Fault): Answer {
      switch (fault.kind) {
        case 'throttle':
          return { status: 429, headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}, body: { code: 429, message: 'Too many requests' } };
        case 'unavailable':
          return { status: fault.status ?? 503, body: { code: fault.status ?? 503, message: 'MemoryTableOverflowError' } };
        case 'invalid':
          return self.reject(fault.errors ?? ['invalid']);
        case 'status':
          return { status: fault.status, body: fault.status === 401 ? 'Unauthorized Access' : { code: fault.status, message: 'Not Found' } };
      }
    },
  };
  return self;
}

/** An OpenObserve taking basic auth user:password. */
export async function startOpenObserve(user: string, password: string, now?: () => number): Promise<OpenObserveStandIn> {
  const state: Omit<OpenObserveStandIn, 'receiver'> = { stored: new Map() };
  const receiver = await new SaasReceiver(spec(state, `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`), now).start();
  return Object.assign(state, { receiver });
}
