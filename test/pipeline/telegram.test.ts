// Falco alerts through the real app to a recording Telegram Bot API: a burst leaves as one message
// per batch at Telegram's pace (the output's default sendrate, on the fake clock), each with
// summaryafter alerts in full and a summary, every text valid MarkdownV2 within 4,096 characters; a
// 429 waits for retry_after; a bot blocked is held and delivers once let in again; a group upgraded
// to a supergroup dead-letters naming the new chat id.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { advanceWhenIdle, FakeClock } from '../support/fake-clock.ts';
import { falcosidekickHeaders } from '../support/falcosidekick-notify.ts';
import { watchOutbound } from '../support/outbound.ts';
import { TELEGRAM_BLOCKED, TelegramReceiver, telegramError, telegramMigrated, telegramRateLimited } from '../support/telegram-receiver.ts';
import type { VendorAnswer } from '../support/vendor-receiver.ts';

let app: RunningApp | undefined;
let telegram: TelegramReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await telegram?.stop();
  app = telegram = undefined;
});

type Message = { text: string; parse_mode: string; chat_id: string; message_thread_id?: string };

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'telegram' });
const deadLettered = (a: RunningApp) => metricValue(a, 'peregrine_dead_lettered_total', { output: 'telegram' });

/** `script`: the answers, or a function of the receiver's token for answers that quote it. */
async function run(alerts: string[], script: VendorAnswer[] | ((token: string) => VendorAnswer[]) = [], extra = '') {
  const clock = new FakeClock();
  const outbound = watchOutbound();
  telegram = await new TelegramReceiver(() => clock.now()).start();
  telegram.script(...(typeof script === 'function' ? script(telegram.token) : script));
  app = await startApp(`telegram:\n  token: "${telegram.token}"\n  chatid: "${telegram.chatId}"\n  apiurl: ${telegram.url}\n${extra}`, { clock });
  for (const alert of alerts) expect((await app.post(alert)).status).toBe(200);
  const a = app;
  await advanceWhenIdle(clock, () => outbound.inFlight() > 0, async () => (await delivered(a)) + (await deadLettered(a)) === alerts.length, `${alerts.length} alerts settled`, 100);
  return { app: a, telegram };
}

const alerts = (n: number) => Array.from({ length: n }, (_, i) => falcoAlertJson(i));

describe('telegram pipeline', () => {
  it('a burst of 120 alerts: 3 messages ~3 s apart (50, 50, 20 alerts), each 3 in full + a summary, all 120 delivered', async () => {
    const { app: a, telegram: t } = await run(alerts(120));
    expect(t.violations).toEqual([]);
    const messages = t.accepted() as Message[];
    expect(messages.map((m) => m.text.match(/^\*and \d+ more\*/m)?.[0])).toEqual(['*and 47 more*', '*and 47 more*', '*and 17 more*']);
    const own = messages.flatMap((m) => [...m.text.matchAll(/\*evt\\\.time\*: (\d+)/g)].map((x) => x[1]));
    expect(own).toEqual([0, 1, 2, 50, 51, 52, 100, 101, 102].map((i) => String(1700000000167531875n + BigInt(i))));
    expect(messages.every((m) => m.parse_mode === 'MarkdownV2' && m.chat_id === '-1001234567890' && m.text.length <= 4096)).toBe(true);
    const times = t.requests.map((r) => r.clockAt);
    for (const gap of times.slice(1).map((x, i) => x - (times[i] ?? 0))) expect(gap).toBeGreaterThanOrEqual(3000);
    expect(t.requests.every((r) => r.answer.status === 200)).toBe(true);
    expect(t.requests[0]?.url).toBe(`/bot${t.token}/sendMessage`);
    expect(t.requests[0]?.headers['content-type']).toBe(falcosidekickHeaders('telegram')['content-type']);
    expect(await delivered(a)).toBe(120);
    expect(await deadLettered(a)).toBe(0);
  });

  it('messagethreadid posts to the topic; an alert far over 4,096 characters arrives cut, valid', async () => {
    const big = falcoAlertJson(0).replace(/"output":"[^"]*"/, `"output":"${'a.b-c '.repeat(2000)}"`);
    const { app: a, telegram: t } = await run([big], [], '  messagethreadid: "42"\n');
    expect(t.violations).toEqual([]);
    expect(await delivered(a)).toBe(1);
    const [message] = t.accepted() as Message[];
    expect(message?.message_thread_id).toBe('42');
    expect(message?.text.length).toBeLessThanOrEqual(4096);
  });

  it('429 with retry_after: the message goes again once the wait is over, then delivered', async () => {
    const { app: a, telegram: t } = await run(alerts(2), [telegramRateLimited(12)]);
    expect(t.requests.map((r) => r.answer.status)).toEqual([429, 200]);
    expect((t.requests[1]?.clockAt ?? 0) - (t.requests[0]?.clockAt ?? 0)).toBeGreaterThanOrEqual(12_000);
    expect(t.requests[1]?.body).toBe(t.requests[0]?.body);
    expect(await delivered(a)).toBe(2);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'telegram', reason: 'throttled' })).toBe(2);
  });

  it('403 bot blocked: held as refused credentials, delivered once the bot is let in again', async () => {
    const { app: a, telegram: t } = await run(alerts(2), [TELEGRAM_BLOCKED, TELEGRAM_BLOCKED]);
    expect(t.requests.map((r) => r.answer.status)).toEqual([403, 403, 200]);
    expect(await delivered(a)).toBe(2);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'telegram', reason: 'auth' })).toBe(4);
  });

  it('an answer that quotes the request path (a proxy echoing the URL): the token is scrubbed from the dead letters', async () => {
    const { app: a, telegram: t } = await run(alerts(1), (token) => [telegramError(400, `Bad Request: proxy refused POST /bot${token}/sendMessage`)]);
    const dead = a.deadLetters.list({ output: 'telegram' });
    expect(dead.map((d) => d.reason)).toEqual(['rejected']);
    expect(dead[0]?.detail).toContain('proxy refused POST /bot');
    expect(JSON.stringify(dead)).not.toContain(t.token);
  });

  it('400 migrate_to_chat_id: the batch is dead-lettered naming the new chat id, not retried; the token never shows', async () => {
    const { app: a, telegram: t } = await run(alerts(3), [telegramMigrated(-1009876543210)]);
    expect(t.requests).toHaveLength(1);
    const dead = a.deadLetters.list({ output: 'telegram' });
    expect(dead).toHaveLength(3);
    for (const entry of dead) {
      expect(entry.reason).toBe('rejected');
      expect(entry.detail).toBe(
        'Telegram answered 400 Bad Request: group chat was upgraded to a supergroup chat: the group was upgraded to a supergroup; set telegram.chatid to -1009876543210 (alerts kept in the dead-letter store)',
      );
    }
    expect(JSON.stringify(dead)).not.toContain(t.token);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'telegram' })).toBe(0);
  });
});
