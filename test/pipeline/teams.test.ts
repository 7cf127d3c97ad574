// Alerts of every priority through the real app to a recording Teams Workflows webhook: the
// output's minimumpriority filter, one schema-valid Adaptive Card per alert in arrival order.
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureJson } from '../support/fixtures.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { advanceUntil, FakeClock } from '../support/fake-clock.ts';
import { TeamsReceiver } from '../support/teams-receiver.ts';

let app: RunningApp | undefined;
let teams: TeamsReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await teams?.stop();
  app = teams = undefined;
});

describe('teams pipeline', () => {
  it('minimumpriority warning: the 5 alerts from Warning up arrive as valid Adaptive Cards, in order, all counted', async () => {
    const clock = new FakeClock();
    teams = await new TeamsReceiver(() => clock.now()).start();
    app = await startApp(`teams:\n  webhookurl: "${teams.url}"\n  minimumpriority: warning\n  outputformat: text\n`, { clock });
    const alerts = fixtureJson<Record<string, unknown>[]>('alerts/priorities.json');
    // Lowest first, so that arrival order is not priority order.
    for (const alert of [...alerts].reverse()) expect((await app.post(alert)).status).toBe(200);

    await advanceUntil(clock, async () => (await metricValue(app!, 'peregrine_delivered_total', { output: 'teams' })) === 5, '5 delivered alerts');

    expect(teams.violations).toEqual([]);
    const cards = teams.accepted() as { attachments: { content: { fallbackText: string; body: { type: string }[] } }[] }[];
    expect(cards.map((c) => c.attachments[0]?.content.fallbackText.split(':')[0])).toEqual(['Warning', 'Error', 'Critical', 'Alert', 'Emergency']);
    // outputformat text: header and output line, no facts.
    expect(cards.map((c) => c.attachments[0]?.content.body.map((e) => e.type))).toEqual(Array.from({ length: 5 }, () => ['Container', 'TextBlock']));
    expect(await metricValue(app, 'falcosecurity_falcosidekick_outputs_total', { destination: 'teams', status: 'ok' })).toBe(5);
  });
});
