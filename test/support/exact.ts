// "Every alert arrived once, exactly as sent" for outputs read back as alert JSON texts (SQS
// bodies, S3 NDJSON lines, CloudWatch Logs messages), and posting alerts in a known order.
import { expect } from 'vitest';
import type { Priority } from '../../src/alert/priority.ts';
import { falcoAlertJson } from './alerts.ts';
import type { RunningApp } from './app.ts';

/** Alert i of a run: falcoAlertJson(i) with uuid `${run}-${i}` and, when given, another `time`. */
export function runAlertJson(run: string, i: number, opts: { priority?: Priority; time?: string } = {}): string {
  const json = falcoAlertJson(i, opts.priority).replace('"uuid":"alert-', `"uuid":"${run}-`);
  return opts.time ? json.replace('"time":"2026-11-20T10:21:36.167531875Z"', `"time":"${opts.time}"`) : json;
}

/** Posts alerts 0..count-1 of a run in order, as JSON arrays of `per` alerts (ingest keeps array order). */
export async function postInOrder(app: RunningApp, run: string, count: number, opts: { per?: number; time?: (i: number) => string } = {}): Promise<void> {
  const per = opts.per ?? 500;
  for (let from = 0; from < count; from += per) {
    const items: string[] = [];
    for (let i = from; i < Math.min(count, from + per); i++) items.push(runAlertJson(run, i, opts.time ? { time: opts.time(i) } : {}));
    const res = await app.post(`[${items.join(',')}]`);
    expect(res.status, res.body).toBe(200);
  }
}

/** Posts each alert JSON on its own, one after the other (ingest order is the list's order). */
export async function postEach(app: RunningApp, jsons: readonly string[]): Promise<void> {
  for (const json of jsons) {
    const res = await app.post(json);
    expect(res.status, res.body).toBe(200);
  }
}

/**
 * The texts are alerts 0..count-1 of the run, each exactly once (in order when `ordered`), with
 * the big evt.time digits intact (checked on the raw text, never through a JS number) and `time` as sent.
 */
export function expectExactAlerts(texts: readonly string[], run: string, count: number, opts: { ordered?: boolean; time?: (i: number) => string } = {}): void {
  const seen = new Set<number>();
  const order: number[] = [];
  for (const text of texts) {
    const i = Number(new RegExp(`"uuid":"${run}-(\\d+)"`).exec(text)?.[1] ?? NaN);
    expect(i >= 0 && i < count, `unexpected alert ${text.slice(0, 120)}`).toBe(true);
    expect(seen.has(i), `alert ${i} twice`).toBe(false);
    seen.add(i);
    order.push(i);
    expect(text.includes(`"evt.time":${1700000000167531875n + BigInt(i)}`), `evt.time of alert ${i}`).toBe(true);
    expect((JSON.parse(text) as { time: string }).time).toBe(opts.time ? opts.time(i) : '2026-11-20T10:21:36.167531875Z');
  }
  expect(count - seen.size, `${count - seen.size} alerts missing`).toBe(0);
  if (opts.ordered) expect(order).toEqual(Array.from({ length: count }, (_, i) => i));
}
