// The EventListener's answers. Releases that waited for the triggers answered 401 or 403 when the Kubernetes API server refused to let
// its own service account create the TriggerTemplate's resources (RBAC): nothing of ours, but
// nothing is created until an operator fixes the RBAC, so the alert waits (held, output failing)
// with a reason that says where to look. Other answers: the shared HTTP rules.
import { classifyHttp, excerpt, retry, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

export function classifyTekton(res: HttpResponse, now: number): Outcome {
  if (res.status === 401 || res.status === 403) {
    const body = res.text ? `: ${excerpt(res.text)}` : '';
    return retry(`HTTP ${res.status}${body} (the EventListener's service account may not create the TriggerTemplate's resources: check its RBAC)`, { auth: true });
  }
  return classifyHttp(res, now);
}
