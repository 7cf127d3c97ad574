// Datadog's Events API v1 (POST /api/v1/events) and HTTP Logs intake v2 (POST /api/v2/logs) as
// documented (docs.datadoghq.com/api/latest/events, /logs; the OpenAPI schemas of
// DataDog/datadog-api-client-*): the API key as DD-API-KEY or ?api_key= (else 403); an event needs
// title and text (text ≤ 4000 characters), alert_type one of its enum, tags strings; logs are one
// entry or an array of at most 1000, the payload ≤ 5 MB, an entry ≤ 1 MB, its fields strings.
// Answers: events 202 {"status":"ok","event":{…}}, logs 202 {}; errors {"errors":[…]} (strings in
// v1, {status,title,detail} in v2); 429 with X-RateLimit-Limit/-Period/-Remaining and, when the
// test gives one, -Reset (seconds until the window resets; Datadog documents no Retry-After).
import { randomInt } from 'node:crypto';
import { check, SaasReceiver, type Answer, type Fault, type VendorSpec } from './saas-receiver.ts';
import type { Received } from './receiver.ts';

const EVENT_KEYS = ['title', 'text', 'alert_type', 'source_type_name', 'tags', 'aggregation_key', 'date_happened', 'device_name', 'host', 'priority', 'related_event_id'];
const ALERT_TYPES = ['error', 'warning', 'info', 'success', 'user_update', 'recommendation', 'snapshot'];
const LOG_KEYS = ['ddsource', 'ddtags', 'hostname', 'message', 'service'];
const MAX_LOGS = 1000;
const MAX_PAYLOAD = 5 * 1024 * 1024;
const MAX_ENTRY = 1024 * 1024;

function keyOf(req: Received): string | undefined {
  const header = req.headers['dd-api-key'];
  if (typeof header === 'string') return header;
  return new URL(req.url, 'http://x').searchParams.get('api_key') ?? undefined;
}

const RATE_HEADERS = { 'x-ratelimit-limit': '500', 'x-ratelimit-period': '60', 'x-ratelimit-remaining': '0' };

function datadogSpec(api: 'events' | 'logs', apiKey: string): VendorSpec {
  const v2 = api === 'logs';
  const errorBody = (status: number, title: string, details: string[]) =>
    v2 ? { errors: details.map((detail) => ({ status: String(status), title, detail })) } : { errors: details };
  const spec: VendorSpec = {
    authorize(req) {
      return keyOf(req) === apiKey ? undefined : { status: 403, body: errorBody(403, 'Forbidden', ['Forbidden']) };
    },
    validate(req) {
      const path = new URL(req.url, 'http://x').pathname;
      const want = v2 ? '/api/v2/logs' : '/api/v1/events';
      if (req.method !== 'POST' || path !== want) return [`${req.method} ${path} is not ${want}`];
      if (!String(req.headers['content-type']).startsWith('application/json')) return [`Content-Type ${req.headers['content-type']} is not application/json`];
      return v2 ? validateLogs(req.body) : validateEvent(req.body);
    },
    accept(req) {
      if (v2) return { status: 202, body: {} };
      const event = JSON.parse(req.body) as Record<string, unknown>;
      return { status: 202, body: { status: 'ok', event: { id: randomInt(1, 2 ** 40), date_happened: 1795170096, priority: 'normal', url: 'https://app.datadoghq.com/event/event?id=1', ...event } } };
    },
    reject(problems) {
      return { status: 400, body: errorBody(400, 'Bad Request', problems) };
    },
    fault(fault: Fault): Answer {
      switch (fault.kind) {
        case 'throttle':
          return { status: 429, headers: { ...RATE_HEADERS, ...(fault.retryAfter ? { 'x-ratelimit-reset': fault.retryAfter } : {}) }, body: errorBody(429, 'Too Many Requests', ['Rate limit exceeded']) };
        case 'unavailable':
          return { status: fault.status ?? 500, body: errorBody(fault.status ?? 500, 'Internal Server Error', ['Internal Server Error']) };
        case 'invalid':
          return spec.reject(fault.errors ?? ['Payload is not valid']);
        case 'status':
          return { status: fault.status, body: errorBody(fault.status, fault.status === 404 ? 'Not Found' : 'Request refused', [fault.status === 404 ? 'Not found' : 'Request refused']) };
      }
    },
  };
  return spec;
}

function validateEvent(body: string): string[] {
  const event = check.object(body);
  if (typeof event === 'string') return [event];
  const problems: string[] = [];
  check.known(problems, '', event, EVENT_KEYS);
  check.text(problems, 'title', event.title, { required: true });
  if (typeof event.text !== 'string') problems.push('text is required');
  else if (event.text.length > 4000) problems.push(`text is longer than 4000 characters (${event.text.length})`);
  if (event.alert_type !== undefined && !ALERT_TYPES.includes(event.alert_type as string)) problems.push(`alert_type ${JSON.stringify(event.alert_type)} is not one of ${ALERT_TYPES.join(', ')}`);
  check.text(problems, 'source_type_name', event.source_type_name);
  if (event.tags !== undefined && (!Array.isArray(event.tags) || event.tags.some((t) => typeof t !== 'string'))) problems.push('tags must be an array of strings');
  return problems;
}

function validateLogs(body: string): string[] {
  if (Buffer.byteLength(body) > MAX_PAYLOAD) return ['payload larger than 5 MB'];
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return ['the body is not JSON'];
  }
  const entries = Array.isArray(value) ? value : [value];
  if (entries.length > MAX_LOGS) return [`${entries.length} log entries in one payload (at most ${MAX_LOGS})`];
  const problems: string[] = [];
  entries.forEach((entry, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return void problems.push(`[${i}] is not an object`);
    if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY) problems.push(`[${i}] is larger than 1 MB`);
    check.known(problems, `[${i}].`, entry as Record<string, unknown>, LOG_KEYS);
    for (const [k, v] of Object.entries(entry as Record<string, unknown>)) if (typeof v !== 'string') problems.push(`[${i}].${k} must be a string`);
  });
  return problems;
}

/** The Events API v1 stand-in, taking `apiKey`; `now`: the clock the requests' `clockAt` is read from. */
export function startDatadogEventsReceiver(apiKey: string, now?: () => number): Promise<SaasReceiver> {
  return new SaasReceiver(datadogSpec('events', apiKey), now).start();
}

/** The HTTP Logs intake v2 stand-in, taking `apiKey`. */
export function startDatadogLogsReceiver(apiKey: string, now?: () => number): Promise<SaasReceiver> {
  return new SaasReceiver(datadogSpec('logs', apiKey), now).start();
}
