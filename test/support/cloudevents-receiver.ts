// A CloudEvents consumer in HTTP binary mode (CloudEvents 1.0 core spec and HTTP protocol binding,
// 3.1): the context attributes as ce-<name> headers. Required: ce-specversion "1.0", ce-id,
// ce-source (a non-empty URI-reference), ce-type, each non-empty; ce-time, when present, RFC 3339.
// Every attribute name (after "ce-") is lower-case letters and digits. Content-Type is the
// datacontenttype; the body is the data (JSON here). It answers as a Knative broker's ingress does:
// 202 accepted, 400 for an event it cannot read, 404 for an unknown broker, 429/5xx to retry.
//
// Header values: the binding says a sender percent-encodes space, '"', '%' and non-ASCII. The Go
// SDK falcosidekick uses (and Knative reads with) neither encodes nor decodes them, and a raw space
// is valid HTTP; so this consumer, like those, takes the value as it comes and only refuses bytes
// no header carries. `values(req)` gives them decoded from UTF-8.
import { SaasReceiver, type Answer, type Fault, type VendorSpec } from './saas-receiver.ts';
import type { Received } from './receiver.ts';

const REQUIRED = ['specversion', 'id', 'source', 'type'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The event's attributes (ce-* headers without the prefix), values decoded from their UTF-8 bytes. */
export function ceAttributes(req: Received): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('ce-') && typeof value === 'string') out[name.slice(3)] = Buffer.from(value, 'latin1').toString('utf8');
  }
  return out;
}

export const cloudEventsSpec: VendorSpec = {
  validate(req) {
    if (req.method !== 'POST') return [`${req.method}: events are POSTed`];
    const attributes = ceAttributes(req);
    const problems: string[] = [];
    for (const name of REQUIRED) if (!attributes[name]) problems.push(`ce-${name} is required`);
    if (attributes.specversion !== undefined && attributes.specversion !== '1.0') problems.push(`ce-specversion ${attributes.specversion} is not 1.0`);
    if (attributes.time !== undefined && !RFC3339.test(attributes.time)) problems.push(`ce-time ${attributes.time} is not RFC 3339`);
    for (const name of Object.keys(attributes)) if (!/^[a-z0-9]+$/.test(name)) problems.push(`ce-${name}: an attribute name is lower-case letters and digits`);
    const type = String(req.headers['content-type'] ?? '');
    if (type.startsWith('application/cloudevents')) problems.push(`Content-Type ${type} is structured mode, not binary`);
    if (type.startsWith('application/json')) {
      try {
        JSON.parse(req.body);
      } catch {
        problems.push('data is not the JSON its Content-Type says');
      }
    }
    return problems;
  },
  accept() {
    return { status: 202, body: '' };
  },
  reject(problems) {
    return { status: 400, body: { msg: 'failed to read the event', errors: problems } };
  },
  fault(fault: Fault): Answer {
    switch (fault.kind) {
      case 'throttle':
        return { status: 429, headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}, body: 'Too Many Requests' };
      case 'unavailable':
        return { status: fault.status ?? 503, body: 'Service Unavailable' };
      case 'invalid':
        return cloudEventsSpec.reject(fault.errors ?? ['invalid event']);
      case 'status':
        return { status: fault.status, body: fault.status === 404 ? 'broker not found' : 'refused' };
    }
  },
};

export function startCloudEventsReceiver(now?: () => number): Promise<SaasReceiver> {
  return new SaasReceiver(cloudEventsSpec, now).start();
}
