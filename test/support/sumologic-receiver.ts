// A Sumo Logic HTTP Logs source (help.sumologic.com, "Upload Data to an HTTP Source" and
// "Troubleshooting HTTP Sources"): POST /receiver/v1/http/<token> with UTF-8 log data; the source
// overrides X-Sumo-Category, X-Sumo-Host and X-Sumo-Name (X-Sumo-Fields: key=value pairs); a
// metrics Content-Type (application/vnd.sumologic.*) would make the body metrics, not logs. Answers:
// 200 with no body; 401 for a missing or invalid URL token; 429 quota-based throttling; 503/504 its
// own trouble. Sumo documents no Retry-After: the test may add one.
import { SaasReceiver, type Answer, type Fault, type VendorSpec } from './saas-receiver.ts';

const SUMO_HEADERS = ['x-sumo-category', 'x-sumo-host', 'x-sumo-name', 'x-sumo-fields'];

function sumoSpec(token: string): VendorSpec {
  const spec: VendorSpec = {
    authorize(req) {
      return req.url === `/receiver/v1/http/${token}` ? undefined : { status: 401, body: 'Unauthorized' };
    },
    validate(req) {
      const problems: string[] = [];
      if (req.method !== 'POST') problems.push(`${req.method} is not an upload (POST)`);
      const type = String(req.headers['content-type'] ?? '');
      if (type.startsWith('application/vnd.sumologic')) problems.push(`Content-Type ${type} makes the body metrics`);
      if (req.body === '') problems.push('empty body');
      if (Buffer.from(req.body, 'utf8').toString('utf8') !== req.body || req.body.includes('\uFFFD')) problems.push('the body is not UTF-8');
      for (const name of Object.keys(req.headers)) if (name.startsWith('x-sumo-') && !SUMO_HEADERS.includes(name)) problems.push(`${name} is not a Sumo header`);
      return problems;
    },
    accept() {
      return { status: 200, body: '' };
    },
    reject(problems) {
      return { status: 400, body: problems.join('; ') };
    },
    fault(fault: Fault): Answer {
      switch (fault.kind) {
        case 'throttle':
          return { status: 429, headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}, body: 'Too Many Requests' };
        case 'unavailable':
          return { status: fault.status ?? 503, body: 'Service Unavailable' };
        case 'invalid':
          return spec.reject(fault.errors ?? ['invalid']);
        case 'status':
          return { status: fault.status, body: fault.status === 401 ? 'Unauthorized' : 'Not Found' };
      }
    },
  };
  return spec;
}

/** The stand-in for the HTTP source whose URL ends with `token`. */
export function startSumoReceiver(token: string, now?: () => number): Promise<SaasReceiver> {
  return new SaasReceiver(sumoSpec(token), now).start();
}
