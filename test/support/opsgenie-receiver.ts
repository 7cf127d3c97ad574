// Opsgenie Alert API, Create Alert (POST /v2/alerts), as documented at docs.opsgenie.com ("Alert
// API", "Response"): `Authorization: GenieKey <key>`; message required, ≤ 130 characters; alias
// ≤ 512; description ≤ 15000; tags ≤ 20 of ≤ 50 characters; details string → string, ≤ 8000
// characters in all; entity ≤ 512; source ≤ 100; user ≤ 100; note ≤ 25000; priority P1–P5.
// Answers: 202 {"result":"Request will be processed","took","requestId"}; 422 {"message","errors",
// "took","requestId"} for semantic errors; 401 for a bad key or a disabled integration; 429 when
// throttled (X-RateLimit-State: THROTTLED; Retry-After only when the test asks for it).
import { randomUUID } from 'node:crypto';
import { check, SaasReceiver, type Answer, type Fault, type VendorSpec } from './saas-receiver.ts';

const FIELDS = ['message', 'alias', 'description', 'responders', 'visibleTo', 'actions', 'tags', 'details', 'entity', 'source', 'priority', 'user', 'note'];

const envelope = (extra: Record<string, unknown>) => ({ ...extra, took: 0.012, requestId: randomUUID() });

export function opsgenieSpec(apiKey: string): VendorSpec {
  return {
    authorize(req) {
      return req.headers.authorization === `GenieKey ${apiKey}` ? undefined : { status: 401, body: envelope({ message: 'Could not authenticate' }) };
    },
    validate(req) {
      if (req.method !== 'POST' || req.url !== '/v2/alerts') return [`${req.method} ${req.url} is not Create Alert`];
      if (!String(req.headers['content-type']).startsWith('application/json')) return ['Content-Type must be application/json'];
      const alert = check.object(req.body);
      if (typeof alert === 'string') return [alert];
      const problems: string[] = [];
      check.known(problems, '', alert, FIELDS);
      check.text(problems, 'message', alert.message, { required: true, max: 130 });
      check.text(problems, 'alias', alert.alias, { max: 512 });
      check.text(problems, 'description', alert.description, { max: 15_000 });
      check.text(problems, 'entity', alert.entity, { max: 512 });
      check.text(problems, 'source', alert.source, { max: 100 });
      check.text(problems, 'user', alert.user, { max: 100 });
      check.text(problems, 'note', alert.note, { max: 25_000 });
      if (alert.priority !== undefined && !['P1', 'P2', 'P3', 'P4', 'P5'].includes(alert.priority as string)) problems.push('priority must be one of P1, P2, P3, P4, P5');
      if (alert.tags !== undefined) {
        if (!Array.isArray(alert.tags) || alert.tags.length > 20) problems.push('tags must be a list of at most 20');
        else alert.tags.forEach((t, i) => check.text(problems, `tags[${i}]`, t, { required: true, max: 50 }));
      }
      if (alert.details !== undefined) {
        const details = alert.details as Record<string, unknown>;
        if (details === null || typeof details !== 'object' || Array.isArray(details)) problems.push('details must be an object');
        else {
          if (Object.values(details).some((v) => typeof v !== 'string')) problems.push('details values must be strings');
          const size = Object.entries(details).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
          if (size > 8000) problems.push(`details are longer than 8000 characters (${size})`);
        }
      }
      return problems;
    },
    accept() {
      return { status: 202, body: envelope({ result: 'Request will be processed' }) };
    },
    reject(problems) {
      return { status: 422, body: envelope({ message: 'Request body is not processable. Please check the errors.', errors: Object.fromEntries(problems.map((p, i) => [String(i), p])) }) };
    },
    fault(fault: Fault): Answer {
      switch (fault.kind) {
        case 'throttle':
          return {
            status: 429,
            headers: { 'x-ratelimit-state': 'THROTTLED', 'x-ratelimit-reason': 'INTEGRATION', 'x-ratelimit-period-in-sec': '60', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) },
            body: envelope({ message: 'You are making too many requests! To avoid errors, we recommend you limit requests.' }),
          };
        case 'unavailable':
          return { status: fault.status ?? 500, body: envelope({ message: 'Internal Server Error' }) };
        case 'invalid':
          return { status: 422, body: envelope({ message: 'Request body is not processable. Please check the errors.', errors: { message: (fault.errors ?? ['Message can not be empty.'])[0] } }) };
        case 'status':
          return { status: fault.status, body: envelope({ message: fault.status === 404 ? 'Could not find handler' : fault.status === 402 ? 'Payment Required' : 'Request refused' }) };
      }
    },
  };
}

/** `now`: the clock the requests' `clockAt` is read from (the test's fake clock). */
export function startOpsgenieReceiver(apiKey: string, now?: () => number): Promise<SaasReceiver> {
  return new SaasReceiver(opsgenieSpec(apiKey), now).start();
}
