// Spyderbat's answers to the API calls the output makes, as the output reads them. Spyderbat
// documents its API little: falcosidekick counts 200/201/202/204 as delivered and logs the rest; the
// API answers 401 for a key it does not accept, 403 for a key without access to the org, 404 for an
// org or source it does not have, 429 when over its rate limit, 5xx for its own trouble.
import { classifyHttp, excerpt, refusal, retry, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

/** A data POST's answer. 404: the source (or the org) is gone; the output makes the source again before the retry. */
export function classifyData(res: HttpResponse, now: number): Outcome {
  const body = res.text ? `: ${excerpt(res.text)}` : '';
  if (res.status === 401) return retry(`HTTP 401${body} (Spyderbat refused the API key: check spyderbat.apikey)`, { auth: true });
  if (res.status === 403) return retry(`HTTP 403${body} (the API key has no access to the org: check spyderbat.apikey and spyderbat.orguid)`, { auth: true });
  if (res.status === 404) return retry(`HTTP 404${body} (the source is gone: it is made again)`);
  return classifyHttp(res, now);
}

/** An answer to the source lookup or creation that is not a 2xx. */
export function classifySource(res: HttpResponse, now: number, what: string): Outcome {
  const body = res.text ? `: ${excerpt(res.text)}` : '';
  if (res.status === 401) return retry(`${what}: HTTP 401${body} (Spyderbat refused the API key: check spyderbat.apikey)`, { auth: true });
  if (res.status === 403) return retry(`${what}: HTTP 403${body} (the API key has no access to the org: check spyderbat.apikey and spyderbat.orguid)`, { auth: true });
  if (res.status === 404) return refusal(404, `${what}: HTTP 404${body} (Spyderbat has no such org: check spyderbat.orguid)`);
  const outcome = classifyHttp(res, now);
  if (outcome.kind === 'retry') return retry(`${what}: ${outcome.reason}`, { ...(outcome.afterMs === undefined ? {} : { afterMs: outcome.afterMs }) });
  // A refusal to make the source (400: a name or description it does not take) holds for every alert.
  return refusal(res.status === 400 ? 404 : res.status, `${what}: HTTP ${res.status}${body}`);
}
