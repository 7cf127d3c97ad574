// The rocketchat output inside the real app against the recording Rocket.Chat webhook, which holds
// it to Rocket.Chat's default rate limit (10 calls a minute): a burst folded into summaries and
// posted within the window without a single 429, every alert delivered; its failures each end
// delivered or dead-lettered with a reason.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { advanceWhenIdle, FakeClock } from '../../test/support/fake-clock.ts';
import { watchOutbound } from '../../test/support/outbound.ts';
import { rocketchatAnswer, RocketchatReceiver } from '../../test/support/rocketchat-receiver.ts';
import type { VendorAnswer } from '../../test/support/vendor-receiver.ts';

let app: RunningApp | undefined;
let rocketchat: RocketchatReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await rocketchat?.stop();
  app = rocketchat = undefined;
});

type Message = { attachments: { fallback: string; fields?: { title: string }[] }[] };

async function run(alerts: number, script: VendorAnswer[] = [], othersSpentTheWindow = false) {
  const clock = new FakeClock();
  const requests = watchOutbound();
  rocketchat = await new RocketchatReceiver(() => clock.now()).start();
  rocketchat.script(...script);
  if (othersSpentTheWindow) rocketchat.spendWindow();
  app = await startApp(`rocketchat:\n  webhookurl: ${rocketchat.url}\n  retry:\n    initialbackoffms: 200\n`, { clock });
  for (let i = 0; i < alerts; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  const a = app;
  const settled = async () =>
    (await metricValue(a, 'peregrine_delivered_total', { output: 'rocketchat' })) + (await metricValue(a, 'peregrine_dead_lettered_total', { output: 'rocketchat' })) === alerts;
  await advanceWhenIdle(clock, () => requests.inFlight() > 0, settled, `${alerts} alerts delivered or dead-lettered`, 500);
  return { app: a, rocketchat, clock };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'rocketchat' });

describe('rocketchat pipeline', () => {
  it('120 alerts: 16 messages, 10 in the first minute (the window planned for), the rest after it resets, never a 429, all delivered', async () => {
    const { app: a, rocketchat: r } = await run(120);
    expect(r.violations).toEqual([]);
    const messages = r.accepted() as Message[];
    expect(messages[0]?.attachments[0]?.fields?.at(-1)?.title).toBe('hostname');
    // Three batches (50, 50, 20). The second is planned into the 4 calls the window has left (3 own
    // messages and a summary of 47); the third waits for the next window.
    expect(messages).toHaveLength(16);
    expect(messages.filter((m) => m.attachments[0]?.fallback.startsWith('and ')).map((m) => m.attachments[0]?.fallback)).toEqual([
      'and 45 more: Terminal shell in container ×45',
      'and 47 more: Terminal shell in container ×47',
      'and 15 more: Terminal shell in container ×15',
    ]);
    // Every alert is in exactly one message: its own, or a summary's count.
    const carried = messages.map((m) => (m.attachments[0]?.fallback.match(/^and (\d+) more/)?.[1] ?? '1')).reduce((sum, n) => sum + Number(n), 0);
    expect(carried).toBe(120);
    const times = r.requests.map((q) => q.clockAt);
    expect(times.filter((t) => t - (times[0] ?? 0) < 60_000)).toHaveLength(10);
    expect(await delivered(a)).toBe(120);
    // What waited for the window went again as a retry the destination asked for, not as a failure.
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'rocketchat', reason: 'error' })).toBe(0);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'rocketchat', reason: 'throttled' })).toBe(20);
    expect(a.deadLetters.list({ output: 'rocketchat' })).toEqual([]);
  });

  it('a 429 all the same (another sender spent the window): waits for the window\'s reset, then delivers', async () => {
    const { app: a, rocketchat: r } = await run(1, [], true);
    expect(r.requests[0]?.answer.status).toBe(429);
    const ok = r.requests.find((q) => q.answer.status === 200);
    expect((ok?.clockAt ?? 0) - (r.requests[0]?.clockAt ?? 0)).toBeGreaterThanOrEqual(60_000);
    expect(await delivered(a)).toBe(1);
  });

  it('invalid-channel: the batch is dead-lettered with the reason', async () => {
    const { app: a, rocketchat: r } = await run(3, [rocketchatAnswer(400, { success: false, error: 'invalid-channel' })]);
    expect(r.requests).toHaveLength(1);
    const dead = a.deadLetters.list({ output: 'rocketchat' });
    expect(dead).toHaveLength(3);
    expect(dead[0]?.detail).toContain('Rocket.Chat answered 400 invalid-channel: the channel of the integration does not exist');
  });

  it('a disabled integration (503): retried until it is enabled again', async () => {
    const { app: a, rocketchat: r } = await run(1, [rocketchatAnswer(503, { success: false, error: 'Service Unavailable' })]);
    expect(r.requests.map((q) => q.answer.status)).toEqual([503, 200]);
    expect(await delivered(a)).toBe(1);
  });
});
