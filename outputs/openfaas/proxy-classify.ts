// Answers through the API server's service proxy. The API server answers for itself with a Status
// object ({"kind":"Status","apiVersion":"v1","reason":…,"message":…}); anything else is the
// function's (or its gateway's) own answer, passed through, and gets the shared HTTP rules.
import { classifyHttp, excerpt, jsonObject, retry, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface Status {
  kind?: unknown;
  apiVersion?: unknown;
  reason?: unknown;
  message?: unknown;
}

function apiStatus(res: HttpResponse): { reason: string; message: string } | undefined {
  const status = jsonObject<Status>(res.text);
  if (status?.kind !== 'Status' || status.apiVersion !== 'v1') return undefined;
  return { reason: typeof status.reason === 'string' ? status.reason : '', message: typeof status.message === 'string' ? status.message : '' };
}

/** `service`: "<namespace>/<name>:<port>", to say which one in a reason. */
export function classifyServiceProxy(res: HttpResponse, now: number, service: string): Outcome {
  const status = res.status >= 400 ? apiStatus(res) : undefined;
  if (status) {
    const said = `HTTP ${res.status} from the Kubernetes API server: ${excerpt(status.message || status.reason)}`;
    // Expired or revoked token, unknown client certificate: held until the kubeconfig works.
    if (res.status === 401) return retry(`${said} (the kubeconfig's credentials were refused)`, { auth: true });
    // RBAC: the identity may not create services/proxy in that namespace.
    if (res.status === 403) return retry(`${said} (grant "create" on "services/proxy" in the service's namespace)`, { auth: true });
    // The service does not exist (yet): the alert is not at fault; held until it does or the retry budget ends.
    if (res.status === 404) return retry(`${said} (no service ${service}: check the namespace, service and port keys)`, { auth: true });
    // 503 "no endpoints available for service": no ready pod behind it (scaling, restarting).
  }
  return classifyHttp(res, now);
}
