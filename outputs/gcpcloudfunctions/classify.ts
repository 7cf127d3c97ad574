// A Cloud Functions v1 `functions.call` answer → an outcome
// (cloud.google.com/functions/docs/reference/rest/v1/projects.locations.functions/call). 200 carries
// a CallFunctionResponse {executionId, result, error}: `error` set means the function ran and
// failed. Other statuses carry Google's error body {"error": {code, message, status}}.
import { excerpt, fail, jsonObject, ok, retry, retryAfterMs, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

/** A 429 without Retry-After: the call method's quota is small; wait at least this. */
const THROTTLE_AFTER_MS = 10_000;

interface GoogleError {
  error?: { code?: number; message?: string; status?: string };
}

export function classifyCall(res: HttpResponse, now: number, name: string): Outcome {
  if (res.status === 200) {
    const body = jsonObject<{ executionId?: string; error?: unknown }>(res.text);
    if (body === undefined) return retry(`Cloud Functions answered 200 with a body that is not a CallFunctionResponse: ${excerpt(res.text)}`);
    // The function ran and failed: calling it again repeats whatever it did before failing.
    if (typeof body.error === 'string' && body.error !== '') return fail(`function ${name} failed (execution ${body.executionId ?? '?'}): ${excerpt(body.error)}`);
    return ok();
  }
  const err = jsonObject<GoogleError>(res.text)?.error;
  const said = `Cloud Functions answered ${res.status}${err?.status ? ` ${err.status}` : ''}: ${excerpt(err?.message ?? res.text)}`;
  if (res.status === 401) return retry(`${said} (the credentials were refused: check gcp.credentials or the Application Default Credentials)`, { auth: true });
  if (res.status === 403) return retry(`${said} (the account may not call ${name}: grant it roles/cloudfunctions.developer, which holds cloudfunctions.functions.call)`, { auth: true });
  // A missing function is the configuration's mistake: the alerts wait for the fix, the output failing.
  if (res.status === 404) return retry(`${said} (function ${name} does not exist: fix gcp.cloudfunctions.name)`, { auth: true });
  if (res.status === 429) return retry(said, { afterMs: retryAfterMs(res.headers['retry-after'], now) ?? THROTTLE_AFTER_MS });
  if (res.status === 408 || (res.status >= 500 && res.status !== 501)) return retry(said, { ...(res.headers['retry-after'] ? { afterMs: retryAfterMs(res.headers['retry-after'], now) } : {}) });
  return fail(said);
}
