// A burst of Falco alerts through the real app to a recording Slack webhook: paced at one message
// per second (on the fake clock), each batch posted as summaryafter messages plus one summary, and
// every alert counted as delivered.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { advanceUntil, FakeClock } from '../support/fake-clock.ts';
import { SlackReceiver } from '../support/slack-receiver.ts';

let app: RunningApp | undefined;
let slack: SlackReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await slack?.stop();
  app = slack = undefined;
});

/** Every fourth alert is another rule, so the summaries have two rules to count. */
const ruleOf = (i: number) => (i % 4 === 0 ? 'Write below etc' : 'Terminal shell in container');
const alertJson = (i: number) => falcoAlertJson(i).replace('"rule":"Terminal shell in container"', `"rule":"${ruleOf(i)}"`);

type Message = { text?: string; attachments: { fallback: string; fields?: { title: string; value: string }[] }[] };

describe('slack pipeline', () => {
  it('a burst of 120 alerts: 3 batches of 5 own messages + 1 summary, one message per second, all 120 delivered', async () => {
    const clock = new FakeClock();
    slack = await new SlackReceiver(() => clock.now()).start();
    app = await startApp(`slack:\n  webhookurl: ${slack.url}\n`, { clock });
    for (let i = 0; i < 120; i++) expect((await app.post(alertJson(i))).status).toBe(200);

    await advanceUntil(clock, async () => (await metricValue(app!, 'peregrine_delivered_total', { output: 'slack' })) === 120, '120 delivered alerts');

    expect(slack.violations).toEqual([]);
    const messages = slack.accepted() as Message[];
    expect(messages).toHaveLength(18);
    const summaries = messages.filter((m) => m.attachments[0]?.fallback.startsWith('and '));
    expect(summaries.map((m) => m.attachments[0]?.fallback)).toEqual([
      'and 45 more: Terminal shell in container ×34, Write below etc ×11',
      'and 45 more: Terminal shell in container ×34, Write below etc ×11',
      'and 15 more: Terminal shell in container ×12, Write below etc ×3',
    ]);
    // The own messages are the first five alerts of each batch, in order (evt.time carries the index).
    const own = messages.filter((m) => !summaries.includes(m)).map((m) => m.attachments[0]?.fields?.find((f) => f.title === 'evt.time')?.value);
    expect(own).toEqual([0, 1, 2, 3, 4, 50, 51, 52, 53, 54, 100, 101, 102, 103, 104].map((i) => String(1700000000167531875n + BigInt(i))));
    // Paced: 18 messages need 17 s at least; the receiver checked every gap was ≥ 1 s.
    const times = slack.requests.map((r) => r.clockAt);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(17_000);
    expect(await metricValue(app, 'peregrine_dead_lettered_total', { output: 'slack' })).toBe(0);
    expect(await metricValue(app, 'falcosecurity_falcosidekick_outputs_total', { destination: 'slack', status: 'ok' })).toBe(120);
  });
});
