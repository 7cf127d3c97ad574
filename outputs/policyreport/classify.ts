// What the API server's answer to a report's GET, POST or PUT means for the alerts of that report.
// The API server answers with a Status object (reason, message); its status code says most of it.
import { classifyHttp, excerpt, fail, jsonObject, notOwn, retry, retryAfterMs, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface Status {
  reason?: string;
  message?: string;
  details?: { kind?: string };
}

/** `what`: "PUT policyreports default/falco-policy-report". */
export function classifyKube(res: HttpResponse, what: string, now: number): Outcome {
  const status = jsonObject<Status>(res.text);
  const message = status?.message ?? excerpt(res.text);
  const detail = `${what}: HTTP ${res.status}${status?.reason ? ` ${status.reason}` : ''}${message ? `: ${message}` : ''}`;
  switch (res.status) {
    case 401:
      return retry(`${detail} (the API server refused the credentials: check the kubeconfig's token or certificate, or the service account token)`, { auth: true });
    case 403:
      return retry(`${detail} (RBAC: grant get, create and update on policyreports and clusterpolicyreports (wgpolicyk8s.io), and get on namespaces)`, { auth: true });
    case 404:
      // A named object that is not there is handled by the caller (created); a 404 here is the API's.
      return retry(`${detail} (the PolicyReport CRDs (wgpolicyk8s.io/v1alpha2) are not installed: install them, https://github.com/kubernetes-sigs/wg-policy-prototypes/tree/master/policy-report#installing)`);
    case 409:
      // Someone else created or updated the report since it was read: read it again on the next try.
      return notOwn(`${detail} (read again on the next try)`);
    case 413:
      return retry(`${detail} (the report is too big for the API server: lower policyreport.maxevents)`);
    case 422:
      return fail(`${detail} (the API server refused the report's content)`);
    default: {
      if (res.status >= 500 && /too large/i.test(message)) return retry(`${detail} (the report is too big for etcd: lower policyreport.maxevents)`);
      const outcome = classifyHttp(res, now);
      if (outcome.kind === 'ok') return outcome;
      if (outcome.kind === 'fail') return fail(detail, outcome.whole ? { whole: true } : undefined);
      const afterMs = retryAfterMs(res.headers['retry-after'], now);
      return retry(detail, afterMs === undefined ? undefined : { afterMs });
    }
  }
}
