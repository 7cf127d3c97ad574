// A Cloud Run service behind Google's front end, as documented (cloud.google.com/run/docs/
// authenticating/service-to-service, /run/docs/troubleshooting): a request to an authenticated
// service needs `Authorization: Bearer <ID token>` (a JWT, three base64url parts); a missing or
// invalid token is answered 401, a valid one whose account lacks roles/run.invoker 403, both before
// the container sees the request. 429 "Rate exceeded." when no instance can take it; 500/503 when
// the container fails. The container here is a Falco handler: a POST to its path with a JSON Falco
// alert (output, priority, rule, time) gets 200, anything else its own 400.
import { check, SaasReceiver, type Answer, type Fault, type VendorSpec } from './saas-receiver.ts';

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface CloudRunTokens {
  /** The token Cloud Run accepts. */
  good: string;
  /** A valid token of an account without roles/run.invoker (answered 403). */
  forbidden?: string;
}

const GFE_401 = 'Your client does not have permission to the requested URL. 401 Unauthorized.';
const GFE_403 = 'Your client does not have permission to get URL from this server. 403 Forbidden.';

export function cloudRunSpec(path: string, tokens: CloudRunTokens): VendorSpec {
  return {
    authorize(req) {
      const auth = req.headers.authorization;
      const token = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
      if (token === undefined || !JWT.test(token)) return { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' }, body: GFE_401 };
      if (token === tokens.forbidden) return { status: 403, body: GFE_403 };
      if (token !== tokens.good) return { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token" error_description="The access token could not be verified"' }, body: GFE_401 };
      return undefined;
    },
    validate(req) {
      if (req.method !== 'POST' || req.url !== path) return [`${req.method} ${req.url} is not the handler's POST ${path}`];
      if (!String(req.headers['content-type']).startsWith('application/json')) return ['Content-Type must be application/json'];
      const alert = check.object(req.body);
      if (typeof alert === 'string') return [alert];
      const problems: string[] = [];
      for (const field of ['output', 'priority', 'rule', 'time']) check.text(problems, field, alert[field], { required: true });
      return problems;
    },
    accept() {
      return { status: 200, body: { status: 'ok' } };
    },
    reject(problems) {
      return { status: 400, body: { error: problems.join('; ') } };
    },
    fault(fault: Fault): Answer {
      switch (fault.kind) {
        case 'throttle':
          return { status: 429, ...(fault.retryAfter ? { headers: { 'retry-after': fault.retryAfter } } : {}), body: 'Rate exceeded.' };
        case 'unavailable':
          return { status: fault.status ?? 503, body: 'Service Unavailable' };
        case 'invalid':
          return { status: 400, body: { error: (fault.errors ?? ['bad alert'])[0] } };
        case 'status':
          return { status: fault.status, body: fault.status === 404 ? 'The requested URL was not found on this server.' : 'Request refused' };
      }
    },
  };
}

export function startCloudRunReceiver(path: string, tokens: CloudRunTokens): Promise<SaasReceiver> {
  return new SaasReceiver(cloudRunSpec(path, tokens)).start();
}
