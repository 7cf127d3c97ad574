// Falco alerts through the real app to a recording Webex incoming webhook: a burst leaves as one
// message per batch at one a second (the output's default sendrate, on the fake clock), each with
// summaryafter alerts in full and a summary, within 7,439 bytes; a 429 waits for Retry-After; a
// deleted webhook dead-letters instead of retrying forever.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { advanceWhenIdle, FakeClock } from '../support/fake-clock.ts';
import { falcosidekickHeaders } from '../support/falcosidekick-notify.ts';
import { watchOutbound } from '../support/outbound.ts';
import type { VendorAnswer } from '../support/vendor-receiver.ts';
import { WEBEX_NOT_FOUND, WebexReceiver, webexRateLimited } from '../support/webex-receiver.ts';

let app: RunningApp | undefined;
let webex: WebexReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await webex?.stop();
  app = webex = undefined;
});

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'webex' });
const deadLettered = (a: RunningApp) => metricValue(a, 'peregrine_dead_lettered_total', { output: 'webex' });

async function run(alerts: string[], script: VendorAnswer[] = []) {
  const clock = new FakeClock();
  const outbound = watchOutbound();
  webex = await new WebexReceiver(() => clock.now()).start();
  webex.script(...script);
  app = await startApp(`webex:\n  webhookurl: ${webex.url}\n`, { clock });
  for (const alert of alerts) expect((await app.post(alert)).status).toBe(200);
  const a = app;
  await advanceWhenIdle(clock, () => outbound.inFlight() > 0, async () => (await delivered(a)) + (await deadLettered(a)) === alerts.length, `${alerts.length} alerts settled`, 100);
  return { app: a, webex };
}

const alerts = (n: number) => Array.from({ length: n }, (_, i) => falcoAlertJson(i));

describe('webex pipeline', () => {
  it('a burst of 120 alerts: 3 messages 1 s apart (50, 50, 20 alerts), each 3 in full + a summary, all 120 delivered', async () => {
    const { app: a, webex: w } = await run(alerts(120));
    expect(w.violations).toEqual([]);
    const messages = w.accepted() as { markdown: string }[];
    expect(messages.map((m) => /^### and (\d+) more/m.exec(m.markdown)?.[1])).toEqual(['47', '47', '17']);
    const own = messages.flatMap((m) => [...m.markdown.matchAll(/\* evt\.time: (\d+)/g)].map((x) => x[1]));
    expect(own).toEqual([0, 1, 2, 50, 51, 52, 100, 101, 102].map((i) => String(1700000000167531875n + BigInt(i))));
    const times = w.requests.map((r) => r.clockAt);
    for (const gap of times.slice(1).map((x, i) => x - (times[i] ?? 0))) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(w.requests.every((r) => r.answer.status === 204)).toBe(true);
    expect(w.requests[0]?.headers['content-type']).toBe(falcosidekickHeaders('webex')['content-type']);
    expect(await delivered(a)).toBe(120);
    expect(await deadLettered(a)).toBe(0);
  });

  it('429 with Retry-After: the message goes again once the wait is over, then delivered', async () => {
    const { app: a, webex: w } = await run(alerts(2), [webexRateLimited(6)]);
    expect(w.requests.map((r) => r.answer.status)).toEqual([429, 204]);
    expect((w.requests[1]?.clockAt ?? 0) - (w.requests[0]?.clockAt ?? 0)).toBeGreaterThanOrEqual(6000);
    expect(w.requests[1]?.body).toBe(w.requests[0]?.body);
    expect(await delivered(a)).toBe(2);
  });

  it('404 (webhook deleted): the batch is dead-lettered with Webex\'s reason, not retried; the URL never shows', async () => {
    const { app: a, webex: w } = await run(alerts(3), [WEBEX_NOT_FOUND]);
    expect(w.requests).toHaveLength(1);
    const dead = a.deadLetters.list({ output: 'webex' });
    expect(dead).toHaveLength(3);
    for (const entry of dead) {
      expect(entry.reason).toBe('rejected');
      expect(entry.detail).toMatch(/^Webex answered 404 The requested resource could not be found\. \(trackingId ROUTER_[\w-]+\): the webhook was deleted or its URL is wrong; /);
    }
    expect(JSON.stringify(dead)).not.toContain('c2VjcmV0c2VjcmV0');
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'webex' })).toBe(0);
  });
});
