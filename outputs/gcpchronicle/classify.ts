// A Chronicle API logs:import answer → an outcome
// (cloud.google.com/chronicle/docs/reference/rest/v1beta/projects.locations.instances.logTypes.logs/import,
// cloud.google.com/apis/design/errors). Success is 200 with an empty body ({}); errors carry Google's
// {"error": {code, message, status}}. The import is all or nothing: a 400 refuses the whole request,
// which the core sends again in halves to find the alert at fault.
import { excerpt, fail, jsonObject, ok, retry, retryAfterMs, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface GoogleError {
  error?: { code?: number; message?: string; status?: string };
}

/** Where the alerts go: the names a 404 or a 403 is about. */
export interface ImportTarget {
  projectid: string;
  region: string;
  instanceid: string;
  logtype: string;
}

const parentOf = (t: ImportTarget) => `projects/${t.projectid}/locations/${t.region}/instances/${t.instanceid}/logTypes/${t.logtype}`;

export function classifyImport(res: HttpResponse, now: number, target: ImportTarget): Outcome {
  if (res.status >= 200 && res.status < 300) return ok();
  const err = jsonObject<GoogleError>(res.text)?.error;
  const said = `Chronicle answered ${res.status}${err?.status ? ` ${err.status}` : ''}: ${excerpt(err?.message ?? res.text)}`;
  if (res.status === 401) return retry(`${said} (the credentials were refused: check gcp.credentials or the Application Default Credentials)`, { auth: true });
  if (res.status === 403) {
    return retry(`${said} (the account may not import logs into ${parentOf(target)}: grant it chronicle.logs.import on the instance, e.g. roles/chronicle.editor)`, { auth: true });
  }
  // A wrong project, instance, region or log type: the config, not an alert. Held with the output
  // failing until it is fixed, as the other GCP outputs hold a missing bucket, topic or function.
  if (res.status === 404) {
    return retry(
      `${said} (${parentOf(target)} does not exist: check gcp.chronicle.projectid (${target.projectid}), gcp.chronicle.instanceid (${target.instanceid}), gcp.chronicle.region (${target.region}) and gcp.chronicle.logtype (${target.logtype}))`,
      { auth: true },
    );
  }
  if (res.status === 408 || res.status === 429 || (res.status >= 500 && res.status !== 501)) {
    const afterMs = retryAfterMs(res.headers['retry-after'], now);
    return retry(said, afterMs === undefined ? undefined : { afterMs });
  }
  // 400 INVALID_ARGUMENT, 413, 409, 501 and the rest: refused for good.
  return fail(said);
}
