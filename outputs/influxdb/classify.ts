// InfluxDB's answers to a write (1.x /write, 2.x /api/v2/write, 3.x and its v1/v2 compatibility APIs).
import { classifyHttp, excerpt, retry, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

/**
 * 204 (or any 2xx): written. 404 is the database or bucket missing (`database not found`,
 * `bucket "falco" not found`) or a wrong path: a configuration problem, so the alerts wait and the
 * output shows failing. 400/422 (a point InfluxDB refuses: a field type conflict, a point outside
 * the retention period) and 413 are refusals: the core halves a batch to find the point at fault
 * (rewriting a point is harmless: same series and time, same values). 401/403 credentials; 429 and
 * 503 with Retry-After, other 5xx: retried (classifyHttp).
 */
export function classifyWrite(res: HttpResponse, now: number): Outcome {
  if (res.status === 404) {
    return retry(`HTTP 404${res.text ? `: ${excerpt(res.text)}` : ''} (the database or bucket does not exist, or hostport has a wrong path: create it or fix influxdb.database/organization/bucket/hostport)`, { auth: true });
  }
  return classifyHttp(res, now);
}
