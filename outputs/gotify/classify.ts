// Gotify's answers to POST /message → what happens to the alert. Gotify answers 200 with the
// created message; errors are JSON {"error": "<status text>", "errorCode": <status>,
// "errorDescription": "…"} (gotify/server, api/errors):
//   401: the application token is unknown (deleted or mistyped); 403: a client or user token, not
//     an application's: refused credentials, held until the token is fixed
//   404: no Gotify API at <hostport>/message (a wrong sub-path): the whole batch dead-lettered
//   400 (the body refused), 413 (a proxy's body limit): this message is refused
//   5xx (its database), 502/503/504 (a proxy in front): try later
import { classifyHttp, excerpt, fail, jsonObject, retry, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface GotifyError {
  error?: unknown;
  errorDescription?: unknown;
}

export function classifyGotify(res: HttpResponse, now: number = Date.now()): Outcome {
  if (res.status >= 200 && res.status < 300) return classifyHttp(res, now);
  const body = jsonObject<GotifyError>(res.text);
  const said = typeof body?.errorDescription === 'string' ? body.errorDescription : res.text;
  const detail = `Gotify answered ${res.status}${said ? `: ${excerpt(said)}` : ''}`;
  if (res.status === 401) return retry(`${detail} (the application token is unknown: check gotify.token)`, { auth: true });
  if (res.status === 403) return retry(`${detail} (gotify.token must be an application's token, not a client's)`, { auth: true });
  if (res.status === 404) return fail(`${detail} (no Gotify API at gotify.hostport; check its path) (alerts kept in the dead-letter store)`, { whole: true });
  if (res.status === 400 || res.status === 413) return fail(`${detail} (Gotify refused this message)`);
  const outcome = classifyHttp(res, now);
  return outcome.kind === 'retry' ? { ...outcome, reason: detail } : outcome;
}
