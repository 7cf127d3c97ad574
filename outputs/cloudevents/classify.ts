// A CloudEvents consumer's answers → outcomes: the HTTP binding says only that 2xx is accepted. A
// Knative broker's ingress answers 202 accepted, 400 an event it cannot read, 404 an unknown broker
// (namespace/name in the path), 429 and 5xx for its own load. The core's rule, with a hint on 404.
import { classifyHttp, refusal, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

export function classifyCloudEvents(res: HttpResponse, now: number): Outcome {
  const outcome = classifyHttp(res, now);
  if ((res.status === 404 || res.status === 410) && outcome.kind === 'fail') return refusal(res.status, `${outcome.reason} (no consumer here: check cloudevents.address, e.g. the broker's namespace and name)`);
  return outcome;
}
