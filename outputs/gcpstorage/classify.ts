// A failed Cloud Storage upload → an outcome. The JSON API answers with an HTTP status (the
// library's ApiError.code); a network error has a text code (ECONNREFUSED) or none.
// https://cloud.google.com/storage/docs/json_api/v1/status-codes
import { fail, ok, retry, type Outcome } from '../../src/plugin/index.ts';

/** Throttled (429) without a Retry-After the library would expose: the worker waits at least this. */
const THROTTLE_AFTER_MS = 1000;

export function classifyStorageError(err: unknown, bucket: string): Outcome {
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  const status = typeof e.code === 'number' ? e.code : undefined;
  if (status === undefined) return retry(`Cloud Storage: ${message}`);
  const said = `Cloud Storage answered ${status}: ${message}`;
  // ifGenerationMatch=0 failed: the object exists, written by an earlier attempt of this alert.
  if (status === 412) return ok({ duplicate: true });
  if (status === 401) return retry(`${said} (the credentials were refused: check gcp.credentials or the Application Default Credentials)`, { auth: true });
  if (status === 403) return retry(`${said} (the account may not create objects in bucket ${bucket}: grant it roles/storage.objectCreator)`, { auth: true });
  // A missing bucket is the configuration's mistake: the alerts wait for the fix, the output failing.
  if (status === 404) return retry(`${said} (bucket ${bucket} does not exist: create it or fix gcp.storage.bucket)`, { auth: true });
  if (status === 429) return retry(said, { afterMs: THROTTLE_AFTER_MS });
  if (status === 408 || (status >= 500 && status !== 501)) return retry(said);
  return fail(said);
}
