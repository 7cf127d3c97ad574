// PagerDuty Events API v2 (POST /v2/enqueue) as documented in PagerDuty/developer-docs
// (events-API-v2: Trigger Events, Overview "Response Codes & Retry Logic") and its OpenAPI file
// (PagerDuty/api-schema reference/events-v2/openapiv3.json): required routing_key (32 characters),
// event_action, and for a trigger payload.summary (≤ 1024), payload.source, payload.severity
// (critical|error|warning|info); dedup_key ≤ 255; the event ≤ 512 KB. Answers: 202
// {"status":"success","message":"Event processed","dedup_key"}, 400 {"status","message","errors"}.
// The 429 body is not documented; PagerDuty documents no Retry-After either.
import { randomUUID } from 'node:crypto';
import { check, SaasReceiver, type Answer, type Fault, type VendorSpec } from './saas-receiver.ts';

const TOP = ['routing_key', 'event_action', 'dedup_key', 'payload', 'client', 'client_url', 'links', 'images'];
const PAYLOAD = ['summary', 'source', 'severity', 'timestamp', 'component', 'group', 'class', 'custom_details'];
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

export const pagerDutySpec: VendorSpec = {
  validate(req) {
    if (req.method !== 'POST' || req.url !== '/v2/enqueue') return [`${req.method} ${req.url} is not the Events API`];
    if (Buffer.byteLength(req.body) > 512 * 1024) return ['the event is larger than 512 KB'];
    const event = check.object(req.body);
    if (typeof event === 'string') return [event];
    const problems: string[] = [];
    check.known(problems, '', event, TOP);
    if (typeof event.routing_key !== 'string' || event.routing_key.length !== 32) problems.push("Length of 'routing_key' is incorrect (should be 32 characters)");
    if (!['trigger', 'acknowledge', 'resolve'].includes(event.event_action as string)) problems.push("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')");
    check.text(problems, "'dedup_key'", event.dedup_key, { max: 255 });
    if (event.event_action === 'trigger') {
      const payload = event.payload as Record<string, unknown> | undefined;
      if (payload === null || typeof payload !== 'object') return [...problems, "'payload' is missing or blank"];
      check.known(problems, 'payload.', payload, PAYLOAD);
      check.text(problems, "'payload.summary'", payload.summary, { required: true, max: 1024 });
      check.text(problems, "'payload.source'", payload.source, { required: true });
      if (!['critical', 'error', 'warning', 'info'].includes(payload.severity as string)) problems.push("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')");
      if (payload.timestamp !== undefined && !ISO_8601.test(String(payload.timestamp))) problems.push("'payload.timestamp' is not a valid ISO 8601 timestamp");
      for (const k of ['component', 'group', 'class']) check.text(problems, `'payload.${k}'`, payload[k]);
      if (payload.custom_details !== undefined && (payload.custom_details === null || typeof payload.custom_details !== 'object')) problems.push("'payload.custom_details' must be an object");
    }
    return problems;
  },
  accept(req) {
    const event = JSON.parse(req.body) as { dedup_key?: string };
    return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: event.dedup_key ?? randomUUID().replaceAll('-', '') } };
  },
  reject(problems) {
    return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: problems } };
  },
  fault(fault: Fault): Answer {
    switch (fault.kind) {
      case 'throttle':
        return { status: 429, headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}, body: { status: 'throttle event', message: 'Requests for this service are arriving too quickly. Please retry later.' } };
      case 'unavailable':
        return { status: fault.status ?? 500, body: { status: 'Internal Server Error', message: 'The server experienced an error while processing the event.', errors: ['internal error'] } };
      case 'invalid':
        return pagerDutySpec.reject(fault.errors ?? ["'payload.summary' is missing or blank"]);
      case 'status':
        return { status: fault.status, body: { status: 'error', message: fault.status === 404 ? 'Not Found' : 'Request refused' } };
    }
  },
};

/** `now`: the clock the requests' `clockAt` is read from (the test's fake clock). */
export function startPagerDutyReceiver(now?: () => number): Promise<SaasReceiver> {
  return new SaasReceiver(pagerDutySpec, now).start();
}
