// Wavefront's answers to POST /report (direct ingestion and the proxy's HTTP metrics port): 202 (or
// any 2xx) accepted; 400 a line it cannot parse (the proxy ingests the valid lines of the request
// and names the others: a retry would send the good ones twice); 401 a token it does not know, 403
// a token without the Direct Data Ingestion permission; 406 its pushback (the SDK's "throttled":
// the proxy or the service is over its rate, try again later); 429 and 5xx retried; 413 a request
// larger than it takes. The core's rule otherwise.
import { classifyHttp, excerpt, refusal, retry, retryAfterMs, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

export function classifyReport(res: HttpResponse, now: number): Outcome {
  const body = res.text ? `: ${excerpt(res.text)}` : '';
  switch (res.status) {
    case 401:
      return retry(`HTTP 401${body} (Wavefront does not know the token: check wavefront.endpointtoken)`, { auth: true });
    case 403:
      return retry(`HTTP 403${body} (the token lacks the Direct Data Ingestion permission: check wavefront.endpointtoken)`, { auth: true });
    case 406: {
      const afterMs = retryAfterMs(res.headers['retry-after'], now);
      return retry(`HTTP 406${body} (Wavefront pushback: over its ingestion rate)`, afterMs === undefined ? undefined : { afterMs });
    }
    case 404:
      return refusal(404, `HTTP 404${body} (no /report here: check wavefront.endpointhost and wavefront.endpointmetricport)`);
    case 413:
      return refusal(413, `HTTP 413${body} (the request is larger than Wavefront takes: lower batch.maxbytes)`);
    default:
      return classifyHttp(res, now);
  }
}
