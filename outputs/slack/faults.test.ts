// The slack output inside the real app against the recording Slack webhook, through Slack's
// documented failures: every alert ends delivered or dead-lettered with a reason, never silently
// retried forever, and the webhook URL (a credential) never shows in a reason or a log line.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { advanceWhenIdle, FakeClock } from '../../test/support/fake-clock.ts';
import { watchOutbound } from '../../test/support/outbound.ts';
import { SlackReceiver } from '../../test/support/slack-receiver.ts';

let app: RunningApp | undefined;
let slack: SlackReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await slack?.stop();
  app = slack = undefined;
});

const TOKEN = 'T0001/B0001/secretsecretsecret';

/**
 * The fake clock moves in 100 ms turns, only between turns with no request to Slack in flight
 * (test/support/outbound.ts): a real answer that a loaded machine is slow to give does not see a
 * deadline or the pace run out while it waits.
 */
async function run(alerts: number, script: Parameters<SlackReceiver['script']> = [], extra = '') {
  const clock = new FakeClock();
  const requests = watchOutbound();
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _e, cb) => (logs.push(chunk.toString()), cb()) }));
  slack = await new SlackReceiver(() => clock.now(), TOKEN).start();
  slack.script(...script);
  app = await startApp(`slack:\n  webhookurl: ${slack.url}\n  summaryafter: 2\n  retry:\n    initialbackoffms: 200\n${extra}`, { clock, logger });
  for (let i = 0; i < alerts; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  const a = app;
  const settled = async () =>
    (await metricValue(a, 'peregrine_delivered_total', { output: 'slack' })) + (await metricValue(a, 'peregrine_dead_lettered_total', { output: 'slack' })) === alerts;
  await advanceWhenIdle(clock, () => requests.inFlight() > 0, settled, `${alerts} alerts delivered or dead-lettered`, 100);
  return { clock, logs, app: a, slack };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'slack' });

describe('slack: Slack\'s answers', () => {
  it('429 rate_limited: waits Retry-After on the clock, then re-sends that message and the rest of the batch', async () => {
    const { slack: s, app: a } = await run(4, [{ status: 429, body: 'rate_limited', headers: { 'retry-after': '30' } }]);
    expect(await delivered(a)).toBe(4);
    const [first, second] = s.requests;
    expect(first?.answer.status).toBe(429);
    expect(second?.body).toBe(first?.body);
    expect((second?.clockAt ?? 0) - (first?.clockAt ?? 0)).toBeGreaterThanOrEqual(30_000);
    // 4 alerts, summaryafter 2: 2 own messages + a summary of 2.
    expect(s.accepted()).toHaveLength(3);
    expect(s.violations).toEqual([]);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'slack', reason: 'throttled' })).toBe(4);
  });

  it('503: retried with backoff until Slack takes it', async () => {
    const { slack: s, app: a } = await run(1, [
      { status: 503, body: 'rollup_error' },
      { status: 500, body: 'rollup_error' },
    ]);
    expect(s.requests.map((r) => r.answer.status)).toEqual([503, 500, 200]);
    expect(await delivered(a)).toBe(1);
  });

  it.each([
    [404, 'no_service', 'the webhook was revoked or its app removed'],
    [410, 'channel_is_archived', 'the channel is archived'],
    [403, 'invalid_token', 'the webhook token is invalid'],
    [404, 'channel_not_found', 'does not exist'],
    [403, 'action_prohibited', 'forbids this webhook'],
  ])('%i %s: the batch is dead-lettered with the reason, nothing more of it is sent, nothing retried', async (status, body, why) => {
    const { slack: s, app: a, logs } = await run(4, [{ status, body }]);
    expect(s.requests).toHaveLength(1);
    expect(await delivered(a)).toBe(0);
    const dead = a.deadLetters.list({ output: 'slack' });
    expect(dead).toHaveLength(4);
    for (const entry of dead) {
      expect(entry.reason).toBe('rejected');
      expect(entry.detail).toContain(`Slack answered ${status} ${body}: `);
      expect(entry.detail).toContain(why);
      expect(entry.detail).not.toContain('secret');
    }
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'slack' })).toBe(0);
    expect(logs.join('')).not.toContain('secretsecret');
  });

  it('400 invalid_payload for one message: that alert is dead-lettered, the rest of the batch still goes out', async () => {
    const { slack: s, app: a } = await run(3, [{ status: 200, body: 'ok' }, { status: 400, body: 'invalid_payload' }]);
    expect(s.requests.map((r) => r.answer.status)).toEqual([200, 400, 200]);
    expect(await delivered(a)).toBe(2);
    const dead = a.deadLetters.list({ output: 'slack' });
    expect(dead.map((d) => d.alert.uuid)).toEqual(['alert-1']);
    expect(dead[0]?.detail).toBe('Slack answered 400 invalid_payload: Slack refused this message');
  });

  it('a summary that Slack refuses dead-letters every alert it carries', async () => {
    const { app: a } = await run(5, [{ status: 200, body: 'ok' }, { status: 200, body: 'ok' }, { status: 400, body: 'too_many_attachments' }]);
    expect(await delivered(a)).toBe(2);
    expect(a.deadLetters.list({ output: 'slack' }).map((d) => d.alert.uuid)).toEqual(['alert-2', 'alert-3', 'alert-4']);
  });

  it('a deadline that runs out while waiting for the pace: the sent messages count, the rest is retried', async () => {
    // timeoutms 1500, summaryafter 2, 5 alerts: messages at +0 s and +1 s, then the deadline; the
    // summary of 3 never goes. The 3 come back and are retried at Slack's pace.
    const { slack: s, app: a } = await run(5, [], '  timeoutms: 1500\n');
    expect(await delivered(a)).toBe(5);
    expect(s.violations).toEqual([]);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'slack', reason: 'error' })).toBe(4);
    const own = (s.accepted() as { attachments: { fields?: { title: string; value: string }[] }[] }[]).map(
      (m) => m.attachments[0]?.fields?.find((f) => f.title === 'evt.time')?.value.slice(-1),
    );
    // One of the three may fail alone (its deadline ran out while it waited for the pace): the next
    // probe is then another alert (set-aside.ts), so it can arrive after the one behind it.
    expect(own.slice(0, 2)).toEqual(['5', '6']);
    expect([...own].sort()).toEqual(['5', '6', '7', '8', '9']);
  });
});
