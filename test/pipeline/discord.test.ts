// Falco alerts through the real app to a recording Discord webhook: a burst leaves as one message
// per batch at Discord's pace (the output's default sendrate, on the fake clock), each with
// summaryafter embeds and a summary; an alert too big for Discord's embed limits still arrives;
// a 429 waits for retry_after; a deleted webhook dead-letters instead of retrying forever.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { advanceWhenIdle, FakeClock } from '../support/fake-clock.ts';
import { DISCORD_UNKNOWN_WEBHOOK, DiscordReceiver, discordRateLimited } from '../support/discord-receiver.ts';
import { watchOutbound } from '../support/outbound.ts';
import type { VendorAnswer } from '../support/vendor-receiver.ts';

let app: RunningApp | undefined;
let discord: DiscordReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await discord?.stop();
  app = discord = undefined;
});

type Embed = { title: string; description: string; color: unknown; fields: { name: string; value: string }[] };
type Message = { content: string; avatar_url: string; embeds: Embed[] };

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'discord' });
const deadLettered = (a: RunningApp) => metricValue(a, 'peregrine_dead_lettered_total', { output: 'discord' });

/** Posts the alerts, then moves the fake clock (only while no request is in flight) until each is delivered or dead-lettered. */
async function run(alerts: string[], script: VendorAnswer[] = []) {
  const clock = new FakeClock();
  const outbound = watchOutbound();
  discord = await new DiscordReceiver(() => clock.now()).start();
  discord.script(...script);
  app = await startApp(`discord:\n  webhookurl: ${discord.url}\n`, { clock });
  for (const alert of alerts) expect((await app.post(alert)).status).toBe(200);
  const a = app;
  await advanceWhenIdle(clock, () => outbound.inFlight() > 0, async () => (await delivered(a)) + (await deadLettered(a)) === alerts.length, `${alerts.length} alerts settled`, 100);
  return { app: a, discord };
}

const alerts = (n: number) => Array.from({ length: n }, (_, i) => falcoAlertJson(i));

describe('discord pipeline', () => {
  it('a burst of 120 alerts: 3 messages 2 s apart (50, 50, 20 alerts), each 5 embeds + a summary, all 120 delivered', async () => {
    const { app: a, discord: d } = await run(alerts(120));
    expect(d.violations).toEqual([]);
    const messages = d.accepted() as Message[];
    expect(messages.map((m) => m.embeds.map((e) => e.title))).toEqual([
      ['', '', '', '', '', 'and 45 more'],
      ['', '', '', '', '', 'and 45 more'],
      ['', '', '', '', '', 'and 15 more'],
    ]);
    // The own embeds are the first five alerts of each batch, in order (evt.time carries the index).
    const own = messages.flatMap((m) => m.embeds.filter((e) => e.title === '').map((e) => e.fields.find((f) => f.name === 'evt.time')?.value));
    expect(own).toEqual([0, 1, 2, 3, 4, 50, 51, 52, 53, 54, 100, 101, 102, 103, 104].map((i) => `\`\`\`${1700000000167531875n + BigInt(i)}\`\`\``));
    expect(messages[0]?.embeds[0]).toMatchObject({ description: expect.stringContaining('A shell was spawned'), color: 3066993 });
    const times = d.requests.map((r) => r.clockAt);
    expect(times.slice(1).map((t, i) => t - (times[i] ?? 0))).toEqual([2000, 2000]);
    expect(d.requests.every((r) => r.answer.status === 204)).toBe(true);
    expect(d.requests[0]?.headers['user-agent']).toMatch(/^peregrine\//);
    expect(await delivered(a)).toBe(120);
    expect(await metricValue(a, 'falcosecurity_falcosidekick_outputs_total', { destination: 'discord', status: 'ok' })).toBe(120);
    expect(await deadLettered(a)).toBe(0);
  });

  it('an alert over Discord\'s embed limits (30 fields, a 5,000-character output) is delivered, its texts cut', async () => {
    const fields = Array.from({ length: 30 }, (_, i) => `"f${i}":"${'v'.repeat(1500)}"`).join(',');
    const big = falcoAlertJson(0).replace('"output_fields":{', `"output_fields":{${fields},`).replace(/"output":"[^"]*"/, `"output":"${'o'.repeat(5000)}"`);
    const { app: a, discord: d } = await run([big]);
    expect(d.violations).toEqual([]);
    expect(await delivered(a)).toBe(1);
    const [message] = d.accepted() as Message[];
    expect(message?.embeds[0]?.fields).toHaveLength(25);
  });

  it('429 with retry_after: the message goes again once the wait is over, then delivered', async () => {
    const { app: a, discord: d } = await run(alerts(2), [discordRateLimited(3.5)]);
    expect(d.requests.map((r) => r.answer.status)).toEqual([429, 204]);
    expect((d.requests[1]?.clockAt ?? 0) - (d.requests[0]?.clockAt ?? 0)).toBeGreaterThanOrEqual(3500);
    expect(d.requests[1]?.body).toBe(d.requests[0]?.body);
    expect(await delivered(a)).toBe(2);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'discord', reason: 'throttled' })).toBe(2);
  });

  it('404 Unknown Webhook (deleted): the batch is dead-lettered with Discord\'s reason, not retried; the URL never shows', async () => {
    const { app: a, discord: d } = await run(alerts(3), [DISCORD_UNKNOWN_WEBHOOK]);
    expect(d.requests).toHaveLength(1);
    const dead = a.deadLetters.list({ output: 'discord' });
    expect(dead).toHaveLength(3);
    for (const entry of dead) {
      expect(entry.reason).toBe('rejected');
      expect(entry.detail).toBe('Discord answered 404 Unknown Webhook (10015): the webhook was deleted; create a new webhook and set discord.webhookurl (alerts kept in the dead-letter store)');
    }
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'discord' })).toBe(0);
    expect(await metricValue(a, 'falcosecurity_falcosidekick_outputs_total', { destination: 'discord', status: 'error' })).toBe(3);
  });
});
