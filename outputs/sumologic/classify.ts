// Sumo Logic's answers to an HTTP source upload (help.sumologic.com, "Troubleshooting HTTP
// Sources"): 200 received; 401 missing or invalid URL token; 408 accepted but timed out processing;
// 429 quota-based throttling; 503, 504 its own trouble. The core's rule (classifyHttp) with hints
// that name the key to check.
import { classifyHttp, refusal, retry, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

export function classifySumo(res: HttpResponse, now: number): Outcome {
  const outcome = classifyHttp(res, now);
  if (res.status === 401 && outcome.kind === 'retry') {
    return retry(`HTTP 401 (the source's token was refused: check sumologic.receiverurl, and that the HTTP source still exists)`, { auth: true });
  }
  if ((res.status === 404 || res.status === 410) && outcome.kind === 'fail') return refusal(res.status, `${outcome.reason} (no HTTP source here: check sumologic.receiverurl)`);
  return outcome;
}
