// Dynatrace's Logs ingest API v2 (POST /api/v2/logs/ingest) as documented ("Log Monitoring API v2 -
// POST ingest logs"): the token as "Authorization: Api-Token <token>" (else 401); a JSON body, one
// log event object or an array of them, UTF-8, Content-Type application/json; at most 10 MB and
// 50,000 events a request (else 413); every answer but 204 carries Dynatrace's JSON: errors as an
// ErrorEnvelope {"error":{"code","message","constraintViolations"}}, the partial success (200) as a
// SuccessEnvelope {"details":{"code","message"}}. A record whose timestamp is more than 24 hours old
// is dropped: alone in its request, that is the 200. 429 with Retry-After when the test throttles.
import { SaasReceiver, type Answer, type Fault, type VendorSpec } from './saas-receiver.ts';
import type { Received } from './receiver.ts';

const MAX_PAYLOAD = 10 * 1024 * 1024;
const MAX_EVENTS = 50_000;
const DAY_MS = 24 * 3600 * 1000;

const envelope = (code: number, message: string, violations: string[] = []) => ({
  error: { code, message, ...(violations.length > 0 ? { constraintViolations: violations.map((m) => ({ path: 'body', message: m, parameterLocation: 'PAYLOAD_BODY', location: null })) } : {}) },
});

function events(body: string): Record<string, unknown>[] | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'Invalid JSON';
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) return 'The log batch is empty';
  if (!list.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e))) return 'A log event must be a JSON object';
  return list as Record<string, unknown>[];
}

function dynatraceSpec(token: string, now: () => number): VendorSpec {
  const spec: VendorSpec = {
    authorize(req: Received) {
      const auth = req.headers.authorization;
      if (auth === undefined) return { status: 401, body: envelope(401, 'Missing authorization parameter.') };
      return auth === `Api-Token ${token}` ? undefined : { status: 401, body: envelope(401, 'Token Authentication failed') };
    },
    validate(req) {
      const path = new URL(req.url, 'http://x').pathname;
      if (req.method !== 'POST' || path !== '/api/v2/logs/ingest') return [`${req.method} ${path} is not POST /api/v2/logs/ingest`];
      if (!/^application\/json\s*;\s*charset=utf-8$/i.test(String(req.headers['content-type']))) return [`Content-Type ${req.headers['content-type']} is not application/json; charset=utf-8`];
      if (Buffer.byteLength(req.body) > MAX_PAYLOAD) return ['too large: the payload exceeds 10 MB'];
      const list = events(req.body);
      if (typeof list === 'string') return [list];
      if (list.length > MAX_EVENTS) return [`too large: ${list.length} events exceed ${MAX_EVENTS}`];
      const problems: string[] = [];
      list.forEach((e, i) => {
        if (!('content' in e)) problems.push(`[${i}] has no content`);
        if (typeof e.timestamp !== 'string' || Number.isNaN(Date.parse(e.timestamp))) problems.push(`[${i}].timestamp is not an RFC 3339 time`);
        for (const [k, v] of Object.entries(e)) if (k !== 'content' && typeof v !== 'string') problems.push(`[${i}].${k} is not a string`);
      });
      return problems;
    },
    accept(req) {
      const list = events(req.body) as Record<string, unknown>[];
      const stale = list.filter((e) => now() - Date.parse(e.timestamp as string) > DAY_MS).length;
      if (stale === 0) return { status: 204, body: undefined };
      return { status: 200, body: { details: { code: 200, message: `Only a part of input events were ingested: ${stale} of ${list.length} events have a timestamp more than 24 hours in the past` } } };
    },
    reject(problems) {
      if (problems.some((p) => p.startsWith('too large'))) return { status: 413, body: envelope(413, 'Request payload size is too big', problems) };
      return { status: 400, body: envelope(400, 'The input is invalid', problems) };
    },
    fault(fault: Fault): Answer {
      switch (fault.kind) {
        case 'throttle':
          return { status: 429, headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}, body: envelope(429, 'Too Many Requests') };
        case 'unavailable':
          return { status: fault.status ?? 503, body: envelope(fault.status ?? 503, 'Usable space limit reached') };
        case 'invalid':
          return spec.reject(fault.errors ?? ['The input is invalid']);
        case 'status':
          return { status: fault.status, body: envelope(fault.status, fault.status === 402 ? 'You have exhausted your DPS license' : fault.status === 404 ? 'No ActiveGate with the Log Analytics Collector module' : 'Request refused') };
      }
    },
  };
  return spec;
}

/** The Logs ingest API on 127.0.0.1, accepting `token`; `now` decides which timestamps are too old. */
export function startDynatraceReceiver(token: string, now: () => number): Promise<SaasReceiver> {
  return new SaasReceiver(dynatraceSpec(token, now), now).start();
}
