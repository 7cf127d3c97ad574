// Teams webhook answers → outcomes. Workflows (Power Automate) answer 202 Accepted; errors carry a
// JSON body {"error":{"code","message"}}: 400 the card or envelope is not what the flow takes,
// 404 the flow (or its trigger) was deleted or its URL regenerated, 429 throttled with Retry-After.
// Old O365 connectors answer 200 "1", and report some failures (throttling among them) inside a 200:
// "Microsoft Teams endpoint returned HTTP error 429 …".
import { classifyHttp, excerpt, fail, retry, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

const INNER_ERROR = /returned HTTP error (\d{3})/;

export function classifyTeams(res: HttpResponse, now: number = Date.now()): Outcome {
  const detail = `Teams answered ${res.status}${res.text ? `: ${excerpt(errorText(res.text))}` : ''}`;
  if (res.status >= 200 && res.status < 300) {
    const inner = INNER_ERROR.exec(res.text);
    if (!inner) return classifyHttp(res, now);
    const status = Number(inner[1]);
    return status === 429 || status >= 500 ? retry(detail) : fail(detail);
  }
  if (res.status === 404 || res.status === 410) {
    return fail(`${detail} (the flow or connector is gone: create a new webhook and set teams.webhookurl)`);
  }
  if (res.status === 400 || res.status === 413) return fail(`${detail} (Teams refused this card)`);
  if (res.status === 401 || res.status === 403) {
    // The credential is the URL itself; fixing it means a new URL and a restart (the spool keeps the waiting alerts).
    return retry(`${detail} (the flow refused the request: it must let "Anyone" trigger it, and the URL's signature must be current)`, { auth: true });
  }
  const outcome = classifyHttp(res, now);
  return outcome.kind === 'retry' ? { ...outcome, reason: detail } : outcome;
}

/** The "code: message" of a Workflows error body, else the text itself. */
function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (body.error && typeof body.error.code === 'string') return `${body.error.code}: ${String(body.error.message ?? '')}`;
  } catch {
    // not JSON: a connector's plain text
  }
  return text;
}
