// The teams output inside the real app against the recording Teams webhook (Workflows and O365
// connector), through the documented failures: every alert ends delivered or dead-lettered with a
// reason, and the signed URL never shows in a reason or a log line.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { advanceWhenIdle, FakeClock } from '../../test/support/fake-clock.ts';
import { watchOutbound } from '../../test/support/outbound.ts';
import { TeamsReceiver, workflowsError, type TeamsAnswer } from '../../test/support/teams-receiver.ts';
import { MAX_BODY_BYTES } from './fit.ts';

let app: RunningApp | undefined;
let teams: TeamsReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await teams?.stop();
  app = teams = undefined;
});

async function run(alerts: number, script: TeamsAnswer[] = [], kind: 'workflows' | 'connector' = 'workflows', alertJson: (i: number) => string = falcoAlertJson) {
  const clock = new FakeClock();
  const requests = watchOutbound();
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _e, cb) => (logs.push(chunk.toString()), cb()) }));
  teams = await new TeamsReceiver(() => clock.now(), kind).start();
  teams.script(...script);
  const format = kind === 'connector' ? '  format: messagecard\n' : '';
  // The URL's query string has & and %: quoted for YAML.
  app = await startApp(`teams:\n  webhookurl: "${teams.url}"\n${format}  retry:\n    initialbackoffms: 200\n`, { clock, logger });
  for (let i = 0; i < alerts; i++) expect((await app.post(alertJson(i))).status).toBe(200);
  const a = app;
  const settled = async () =>
    (await metricValue(a, 'peregrine_delivered_total', { output: 'teams' })) + (await metricValue(a, 'peregrine_dead_lettered_total', { output: 'teams' })) === alerts;
  // The clock moves only between turns with no request to Teams in flight (test/support/outbound.ts).
  await advanceWhenIdle(clock, () => requests.inFlight() > 0, settled, `${alerts} alerts delivered or dead-lettered`, 100);
  return { app: a, teams, logs };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'teams' });

describe('teams: Workflows webhook', () => {
  it('202: one valid Adaptive Card per alert, JSON with a user agent', async () => {
    const { app: a, teams: t } = await run(3);
    expect(await delivered(a)).toBe(3);
    expect(t.violations).toEqual([]);
    expect(t.requests.map((r) => r.answer.status)).toEqual([202, 202, 202]);
    expect(t.requests[0]?.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'user-agent': expect.stringMatching(/^peregrine\//) });
  });

  it('429: waits Retry-After on the clock, then re-sends', async () => {
    const { app: a, teams: t } = await run(1, [{ status: 429, body: workflowsError('TooManyRequests', 'Rate limit is exceeded.'), headers: { 'retry-after': '20' } }]);
    expect(await delivered(a)).toBe(1);
    const [first, second] = t.requests;
    expect((second?.clockAt ?? 0) - (first?.clockAt ?? 0)).toBeGreaterThanOrEqual(20_000);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'teams', reason: 'throttled' })).toBe(1);
  });

  it('502 then 503: retried until accepted', async () => {
    const { app: a, teams: t } = await run(1, [
      { status: 502, body: workflowsError('BadGateway', 'Bad gateway') },
      { status: 503, body: workflowsError('ServiceUnavailable', 'Try again') },
    ]);
    expect(t.requests.map((r) => r.answer.status)).toEqual([502, 503, 202]);
    expect(await delivered(a)).toBe(1);
  });

  it.each([
    [404, 'WorkflowNotFound', 'the flow or connector is gone'],
    [410, 'WorkflowDeleted', 'the flow or connector is gone'],
    [400, 'InvalidRequestContent', 'Teams refused this card'],
  ])('%i %s: dead-lettered with the reason, not retried, the signature never shown', async (status, code, why) => {
    const { app: a, logs } = await run(2, [
      { status, body: workflowsError(code, 'The workflow cannot take this.') },
      { status, body: workflowsError(code, 'The workflow cannot take this.') },
    ]);
    const dead = a.deadLetters.list({ output: 'teams' });
    expect(dead).toHaveLength(2);
    for (const entry of dead) expect(entry.detail).toBe(`Teams answered ${status}: ${code}: The workflow cannot take this. (${why}${why.startsWith('the flow') ? ': create a new webhook and set teams.webhookurl' : ''})`);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'teams' })).toBe(0);
    expect(logs.join('')).not.toContain('s1gn4tur3');
  });
});

/** An alert whose command line is 100 KB: its card would be four times Teams' 28 KB. */
function hugeAlert(i: number): string {
  const alert = JSON.parse(falcoAlertJson(i)) as { output: string; output_fields: Record<string, unknown> };
  alert.output_fields['proc.cmdline'] = `sh -c ${'x'.repeat(100_000)}`;
  alert.output = `${alert.output} ${'y'.repeat(20_000)}`;
  return JSON.stringify(alert);
}

describe.each(['workflows', 'connector'] as const)('teams: an alert over Teams\' 28 KB (%s)', (kind) => {
  it('is cut to fit, ending in "…", the other facts whole, and delivered', async () => {
    const { app: a, teams: t } = await run(1, [], kind, hugeAlert);
    expect(await delivered(a)).toBe(1);
    expect(t.violations).toEqual([]);
    const [request] = t.requests;
    expect(Buffer.byteLength(request?.body ?? '')).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(request?.body).toContain('x…');
    expect(request?.body).toContain('"Terminal shell in container"'); // the rule, whole
  });
});

describe('teams: O365 connector (format: messagecard)', () => {
  it('200 "1": falcosidekick\'s MessageCard is accepted', async () => {
    const { app: a, teams: t } = await run(2, [], 'connector');
    expect(await delivered(a)).toBe(2);
    expect(t.violations).toEqual([]);
    expect(t.accepted()[0]).toMatchObject({ '@type': 'MessageCard', themeColor: '5bffb5', sections: [{ activityTitle: 'Falcosidekick' }] });
  });

  it('a 200 whose body reports "HTTP error 429" is throttling: retried, not counted as delivered', async () => {
    const { app: a, teams: t } = await run(1, [{ status: 200, body: 'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0' }], 'connector');
    expect(t.requests.map((r) => r.answer.body)).toEqual([expect.stringContaining('HTTP error 429'), '1']);
    expect(await delivered(a)).toBe(1);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'teams' })).toBe(1);
  });
});
