// The mattermost output inside the real app against the recording Mattermost webhook: a burst folded
// into summaries, every alert delivered; Mattermost's documented failures each end delivered, held
// or dead-lettered with a reason, and the webhook URL (a credential) never shows in one.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { advanceWhenIdle, FakeClock } from '../../test/support/fake-clock.ts';
import { MattermostReceiver, mattermostError } from '../../test/support/mattermost-receiver.ts';
import { watchOutbound } from '../../test/support/outbound.ts';
import type { VendorAnswer } from '../../test/support/vendor-receiver.ts';

let app: RunningApp | undefined;
let mattermost: MattermostReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await mattermost?.stop();
  app = mattermost = undefined;
});

type Message = { username?: string; attachments: { fallback: string; text?: string; fields?: { title: string; value: string }[] }[] };

async function run(alerts: number, script: VendorAnswer[] = [], extra = '', url?: (m: MattermostReceiver) => string) {
  const clock = new FakeClock();
  const requests = watchOutbound();
  mattermost = await new MattermostReceiver(() => clock.now()).start();
  mattermost.script(...script);
  app = await startApp(`mattermost:\n  webhookurl: ${url ? url(mattermost) : mattermost.url}\n  retry:\n    initialbackoffms: 200\n${extra}`, { clock });
  for (let i = 0; i < alerts; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  const a = app;
  const settled = async () =>
    (await metricValue(a, 'peregrine_delivered_total', { output: 'mattermost' })) + (await metricValue(a, 'peregrine_dead_lettered_total', { output: 'mattermost' })) === alerts;
  await advanceWhenIdle(clock, () => requests.inFlight() > 0, settled, `${alerts} alerts delivered or dead-lettered`, 100);
  return { app: a, mattermost, clock };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'mattermost' });

describe('mattermost pipeline', () => {
  it('a burst of 60 alerts: per batch 5 own messages and 1 summary, all 60 delivered and counted as falcosidekick counts them', async () => {
    const { app: a, mattermost: m } = await run(60);
    expect(m.violations).toEqual([]);
    const messages = m.accepted() as Message[];
    const summaries = messages.filter((msg) => msg.attachments[0]?.fallback.startsWith('and '));
    expect(summaries.map((msg) => msg.attachments[0]?.fallback)).toEqual(['and 45 more: Terminal shell in container ×45', 'and 5 more: Terminal shell in container ×5']);
    expect(messages).toHaveLength(12);
    const own = messages.find((msg) => !summaries.includes(msg));
    expect(own?.username).toBe('Falcosidekick');
    expect(own?.attachments[0]?.fields?.slice(0, 3).map((f) => f.title)).toEqual(['rule', 'hostname', 'priority']);
    expect(await delivered(a)).toBe(60);
    expect(await metricValue(a, 'falcosecurity_falcosidekick_outputs_total', { destination: 'mattermost', status: 'ok' })).toBe(60);
  });

  it('an unknown webhook (deleted, a mistyped id, or the server failing to look it up): held, then dead-lettered with Mattermost\'s reason when retry.maxagems runs out', async () => {
    const { app: a, mattermost: m } = await run(3, [], '    maxagems: 5000\n', (r) => r.url.replace(r.hookId, 'zzzzzzzzzzzzzzzzzzzzzzzzzz'));
    expect(m.requests.length).toBeGreaterThan(1);
    expect(m.requests.every((r) => r.answer.status === 400)).toBe(true);
    const dead = a.deadLetters.list({ output: 'mattermost' });
    expect(dead).toHaveLength(3);
    for (const entry of dead) {
      expect(entry.reason).toBe('retry_budget'); // retry.maxagems ran out
      expect(entry.detail).toContain('Mattermost answered 400 web.incoming_webhook.invalid.app_error (Invalid webhook.): no such webhook');
      expect(entry.detail).not.toContain('zzzzzzzzzzzzzzzzzzzzzzzzzz'); // the webhook URL is a credential
    }
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'mattermost', reason: 'auth' })).toBeGreaterThan(0);
  });

  it('incoming webhooks disabled on the server (501): held, then delivered once an admin turns them on', async () => {
    const { app: a, mattermost: m } = await run(2, [
      mattermostError(501, 'web.incoming_webhook.disabled.app_error', 'Incoming webhooks have been disabled by the system admin.'),
      mattermostError(501, 'web.incoming_webhook.disabled.app_error', 'Incoming webhooks have been disabled by the system admin.'),
    ]);
    expect(m.requests.map((r) => r.answer.status)).toEqual([501, 501, 200, 200]);
    expect(await delivered(a)).toBe(2);
  });

  it('429 from the server\'s rate limit: nothing more is posted before its Retry-After', async () => {
    const { app: a, mattermost: m } = await run(2, [{ status: 429, body: 'limit exceeded\n', headers: { 'retry-after': '7' } }]);
    const [first, second] = m.requests;
    expect(second?.body).toBe(first?.body);
    expect((second?.clockAt ?? 0) - (first?.clockAt ?? 0)).toBeGreaterThanOrEqual(7000);
    expect(await delivered(a)).toBe(2);
  });

  it('a message Mattermost refuses is dead-lettered alone; the next one still goes', async () => {
    const { app: a } = await run(2, [mattermostError(400, 'web.incoming_webhook.split_props_length.app_error', 'Unable to split webhook props into 64000 character parts.')]);
    expect(await delivered(a)).toBe(1);
    expect(a.deadLetters.list({ output: 'mattermost' }).map((d) => d.alert.uuid)).toEqual(['alert-0']);
  });
});
