// Google Chat's answers to an incoming-webhook POST → what happens to the alerts of that message.
// Google Chat answers 200 with the created message; errors are Google API JSON
// {"error": {"code": 400, "message": "…", "status": "INVALID_ARGUMENT", "details": [...]}}
// (cloud.google.com/apis/design/errors):
//   404 NOT_FOUND, 403 PERMISSION_DENIED, 401 UNAUTHENTICATED: the webhook was deleted, or its space
//     or token is not this one's any more; 400 with reason API_KEY_INVALID: the URL's key is wrong
//   400 INVALID_ARGUMENT, 413: this message is refused      429 RESOURCE_EXHAUSTED, 5xx: try later
import { classifyHttp, excerpt, fail, jsonObject, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

interface GoogleError {
  error?: { code?: unknown; message?: unknown; status?: unknown; details?: unknown };
}

const SET_A_WORKING_URL = 'create a new webhook and set googlechat.webhookurl (alerts kept in the dead-letter store)';

export function classifyGooglechat(res: HttpResponse, now: number = Date.now()): Outcome {
  if (res.status >= 200 && res.status < 300) return classifyHttp(res, now);
  const error = jsonObject<GoogleError>(res.text)?.error;
  const status = typeof error?.status === 'string' ? error.status : '';
  const message = typeof error?.message === 'string' ? error.message : error ? '' : res.text;
  const detail = `Google Chat answered ${res.status}${status ? ` ${status}` : ''}${message ? `: ${excerpt(message)}` : ''}`;
  if (res.status === 404 || res.status === 403 || res.status === 401 || res.status === 410) {
    return fail(`${detail} (the webhook was deleted or its URL is wrong; ${SET_A_WORKING_URL})`, { whole: true });
  }
  if (res.status === 400 && JSON.stringify(error?.details ?? '').includes('API_KEY_INVALID')) {
    return fail(`${detail} (the key in the webhook URL is wrong; ${SET_A_WORKING_URL})`, { whole: true });
  }
  if (res.status === 400 || res.status === 413) return fail(`${detail} (Google Chat refused this message)`);
  const outcome = classifyHttp(res, now);
  return outcome.kind === 'retry' ? { ...outcome, reason: detail } : outcome;
}
