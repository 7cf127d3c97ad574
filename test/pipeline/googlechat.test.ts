// Falco alerts through the real app to a recording Google Chat webhook: a burst leaves as one
// message per batch at Google Chat's pace (the output's default sendrate, on the fake clock), each
// with summaryafter cards and a summary card; a 429 is retried; a deleted webhook dead-letters
// instead of retrying forever.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { advanceWhenIdle, FakeClock } from '../support/fake-clock.ts';
import { googleError, GooglechatReceiver } from '../support/googlechat-receiver.ts';
import { watchOutbound } from '../support/outbound.ts';
import type { VendorAnswer } from '../support/vendor-receiver.ts';

let app: RunningApp | undefined;
let chat: GooglechatReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await chat?.stop();
  app = chat = undefined;
});

type Card = { header: { title: string }; sections: { widgets: { keyValue: { topLabel: string; content: string } }[] }[] };
type Message = { text?: string; cards?: Card[] };

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'googlechat' });
const deadLettered = (a: RunningApp) => metricValue(a, 'peregrine_dead_lettered_total', { output: 'googlechat' });

/** Posts the alerts, then moves the fake clock (only while no request is in flight) until each is delivered or dead-lettered. */
async function run(alerts: string[], script: VendorAnswer[] = [], extra = '') {
  const clock = new FakeClock();
  const outbound = watchOutbound();
  chat = await new GooglechatReceiver(() => clock.now()).start();
  chat.script(...script);
  app = await startApp(`googlechat:\n  webhookurl: ${chat.url}\n${extra}`, { clock });
  for (const alert of alerts) expect((await app.post(alert)).status).toBe(200);
  const a = app;
  await advanceWhenIdle(clock, () => outbound.inFlight() > 0, async () => (await delivered(a)) + (await deadLettered(a)) === alerts.length, `${alerts.length} alerts settled`, 100);
  return { app: a, chat };
}

const alerts = (n: number) => Array.from({ length: n }, (_, i) => falcoAlertJson(i));

describe('googlechat pipeline', () => {
  it('a burst of 120 alerts: 3 messages 1 s apart (50, 50, 20 alerts), each 5 cards + a summary, all 120 delivered', async () => {
    const { app: a, chat: c } = await run(alerts(120), [], '  messageformat: "{{ .Priority }}: {{ .Rule }}"\n');
    expect(c.violations).toEqual([]);
    const messages = c.accepted() as Message[];
    expect(messages.map((m) => m.cards?.map((card) => card.header.title))).toEqual([
      ['', '', '', '', '', 'and 45 more'],
      ['', '', '', '', '', 'and 45 more'],
      ['', '', '', '', '', 'and 15 more'],
    ]);
    expect(messages[0]?.text).toBe(Array.from({ length: 5 }, () => 'Notice: Terminal shell in container').join('\n'));
    const own = messages.flatMap((m) => (m.cards ?? []).filter((card) => card.header.title === '').map((card) => card.sections[0]?.widgets.find((w) => w.keyValue.topLabel === 'evt.time')?.keyValue.content));
    expect(own).toEqual([0, 1, 2, 3, 4, 50, 51, 52, 53, 54, 100, 101, 102, 103, 104].map((i) => String(1700000000167531875n + BigInt(i))));
    const times = c.requests.map((r) => r.clockAt);
    expect(times.slice(1).map((t, i) => t - (times[i] ?? 0))).toEqual([1000, 1000]);
    expect(c.requests.every((r) => r.answer.status === 200)).toBe(true);
    expect(await delivered(a)).toBe(120);
    expect(await metricValue(a, 'falcosecurity_falcosidekick_outputs_total', { destination: 'googlechat', status: 'ok' })).toBe(120);
    expect(await deadLettered(a)).toBe(0);
  });

  it('429 RESOURCE_EXHAUSTED twice: retried with backoff, then delivered once', async () => {
    const exhausted = googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).');
    const { app: a, chat: c } = await run(alerts(1), [exhausted, exhausted]);
    expect(c.requests.map((r) => r.answer.status)).toEqual([429, 429, 200]);
    expect(c.violations).toEqual([]);
    expect(await delivered(a)).toBe(1);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'googlechat' })).toBe(2);
  });

  it.each([
    [404, 'NOT_FOUND', 'Requested entity was not found.'],
    [403, 'PERMISSION_DENIED', 'The caller does not have permission'],
  ])('%i %s (webhook deleted): the batch is dead-lettered with the reason, not retried; the URL never shows', async (code, status, message) => {
    const { app: a, chat: c } = await run(alerts(3), [googleError(code, status, message)]);
    expect(c.requests).toHaveLength(1);
    const dead = a.deadLetters.list({ output: 'googlechat' });
    expect(dead).toHaveLength(3);
    for (const entry of dead) {
      expect(entry.reason).toBe('rejected');
      expect(entry.detail).toBe(`Google Chat answered ${code} ${status}: ${message} (the webhook was deleted or its URL is wrong; create a new webhook and set googlechat.webhookurl (alerts kept in the dead-letter store))`);
    }
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'googlechat' })).toBe(0);
  });
});
