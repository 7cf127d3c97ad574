// Falco alerts through the real app to a recording Zoho Cliq channel webhook: a burst leaves as one
// message per batch within Cliq's 20 requests a minute (the output's default sendrate, on the fake
// clock; one more would lock the webhook for 10 minutes), each with summaryafter alerts in full and
// a summary table; a 429 waits for the lock to end; a wrong URL dead-letters.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { CLIQ_LOCKED, CLIQ_NOT_FOUND, CliqReceiver } from '../support/cliq-receiver.ts';
import { advanceWhenIdle, FakeClock } from '../support/fake-clock.ts';
import { falcosidekickHeaders } from '../support/falcosidekick-notify.ts';
import { watchOutbound } from '../support/outbound.ts';
import type { VendorAnswer } from '../support/vendor-receiver.ts';

let app: RunningApp | undefined;
let cliq: CliqReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await cliq?.stop();
  app = cliq = undefined;
});

type Message = { text: string; slides?: { type: string; title?: string; data: unknown }[] };

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'cliq' });
const deadLettered = (a: RunningApp) => metricValue(a, 'peregrine_dead_lettered_total', { output: 'cliq' });

async function run(alerts: string[], script: VendorAnswer[] = [], stepMs = 100) {
  const clock = new FakeClock();
  const outbound = watchOutbound();
  cliq = await new CliqReceiver(() => clock.now()).start();
  cliq.script(...script);
  app = await startApp(`cliq:\n  webhookurl: "${cliq.url}"\n  useemoji: true\n`, { clock });
  for (const alert of alerts) expect((await app.post(alert)).status).toBe(200);
  const a = app;
  await advanceWhenIdle(clock, () => outbound.inFlight() > 0, async () => (await delivered(a)) + (await deadLettered(a)) === alerts.length, `${alerts.length} alerts settled`, stepMs);
  return { app: a, cliq };
}

const alerts = (n: number) => Array.from({ length: n }, (_, i) => falcoAlertJson(i));

describe('cliq pipeline', () => {
  it('a burst of 1,200 alerts: 24 messages at most 20 a minute (50 alerts each), 3 in full + a summary table, all delivered', async () => {
    const { app: a, cliq: c } = await run(alerts(1200), [], 500);
    expect(c.violations).toEqual([]);
    const messages = c.accepted() as unknown as Message[];
    expect(messages).toHaveLength(24);
    for (const m of messages) {
      expect(m.text.split('\n')).toHaveLength(3);
      expect(m.text.startsWith('🔵 ')).toBe(true);
      expect(m.slides?.map((s) => s.title ?? '')).toEqual(['', '', '', 'and 47 more (folded into one message: Cliq takes 20 messages a minute)']);
    }
    const times = c.requests.map((r) => r.clockAt);
    for (const [i, t] of times.entries()) expect(times.filter((u) => u > t - 60_000 && u <= t).length, `request ${i}`).toBeLessThanOrEqual(20);
    expect(c.requests[0]?.headers['content-type']).toBe(falcosidekickHeaders('cliq')['content-type']);
    expect(await delivered(a)).toBe(1200);
  }, 60_000);

  it('429 (the webhook locked): the message waits the 10-minute lock, capped by retry.maxbackoffms (60 s), then goes again and is delivered', async () => {
    const { app: a, cliq: c } = await run(alerts(2), [CLIQ_LOCKED], 10_000);
    expect(c.requests.map((r) => r.answer.status)).toEqual([429, 204]);
    expect((c.requests[1]?.clockAt ?? 0) - (c.requests[0]?.clockAt ?? 0)).toBeGreaterThanOrEqual(60_000);
    expect(await delivered(a)).toBe(2);
  });

  it('404 Invalid URL: the batch is dead-lettered, not retried; the token never shows', async () => {
    const { app: a, cliq: c } = await run(alerts(3), [CLIQ_NOT_FOUND]);
    expect(c.requests).toHaveLength(1);
    const dead = a.deadLetters.list({ output: 'cliq' });
    expect(dead.map((d) => d.detail)).toEqual(Array(3).fill('Zoho Cliq answered 404 Invalid URL.: the channel or webhook URL does not exist; check cliq.webhookurl (alerts kept in the dead-letter store)'));
    expect(JSON.stringify(dead)).not.toContain('secretsecret');
  });
});
