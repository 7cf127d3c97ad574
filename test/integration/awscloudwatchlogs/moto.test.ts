// awscloudwatchlogs against moto_server (a real CloudWatch Logs API): 2,000 alerts read back in
// order with their alert-time timestamps, the stream created at connect, and events CloudWatch
// skips as too old or too new dead-lettered with the reason while the rest of the call is stored.
import { randomUUID } from 'node:crypto';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { expectExactAlerts, postInOrder, runAlertJson } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';
import type { SecurityHubInfra as MotoInfra } from '../../infra/securityhub/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

describe.skipIf(infraSkipped('securityhub'))('awscloudwatchlogs against moto', () => {
  let moto: MotoInfra;
  let logs: CloudWatchLogsClient;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    moto = await useInfra<MotoInfra>('securityhub');
    logs = new CloudWatchLogsClient({ endpoint: moto.endpoint, region: moto.region, credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey }, maxAttempts: 1 });
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    logs?.destroy();
  });

  const yaml = (group: string, extra = '') =>
    `aws:\n  accesskeyid: ${moto.accessKeyId}\n  secretaccesskey: ${moto.secretAccessKey}\n  region: ${moto.region}\n  endpoint: ${moto.endpoint}\n  cloudwatchlogs:\n    loggroup: ${group}\n    batch:\n      flushms: 100\n${extra}`;

  async function start(config: string): Promise<RunningApp> {
    const app = await startApp(config);
    apps.push(app);
    return app;
  }

  async function read(group: string, stream: string): Promise<{ timestamp: number; message: string }[]> {
    const out: { timestamp: number; message: string }[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, ...(token ? { nextToken: token } : {}) }));
      out.push(...(page.events ?? []).map((e) => ({ timestamp: e.timestamp as number, message: e.message as string })));
      if (!page.nextForwardToken || page.nextForwardToken === token || !(page.events ?? []).length) return out;
      token = page.nextForwardToken;
    }
  }

  it('2,000 alerts arrive in order in falcosidekick-logstream, timestamped with the alert time', async () => {
    const group = `/falco/${randomUUID().slice(0, 8)}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    const app = await start(yaml(group));
    // One millisecond apart, ending an hour ago: within CloudWatch's 14-day window.
    const base = Date.now() - 3_600_000 - 2000;
    const time = (i: number) => new Date(base + i).toISOString();
    const run = `cwl-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 2000, { time });
    const worker = app.workers.find((w) => w.name === 'awscloudwatchlogs');
    await waitFor(() => worker?.healthSnapshot().delivered === 2000, 60_000, '2,000 deliveries');
    const events = await read(group, 'falcosidekick-logstream');
    expectExactAlerts(events.map((e) => e.message), run, 2000, { ordered: true, time });
    expect(events.map((e) => e.timestamp)).toEqual(Array.from({ length: 2000 }, (_, i) => base + i));
  });

  it('dead-letters events CloudWatch skips as too old or too new and stores the rest of the call', async () => {
    const group = `/falco/${randomUUID().slice(0, 8)}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    // A stream that already exists is reused (ResourceAlreadyExistsException at connect is fine).
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'falco' }));
    const app = await start(yaml(group, '    logstream: falco\n'));
    const run = `rej-${randomUUID().slice(0, 8)}`;
    const now = Date.now();
    const times = [now - 20 * 86_400_000, now - 60_000, now - 30_000, now + 5 * 3_600_000].map((t) => new Date(t).toISOString());
    expect((await app.post(`[${times.map((t, i) => runAlertJson(run, i, { time: t })).join(',')}]`)).status).toBe(200);
    await waitFor(() => app.deadLetters.size() === 2 && app.workers[0]?.healthSnapshot().delivered === 2, 20_000, 'two dead letters, two stored');
    const dead = app.deadLetters.list().map((d) => [d.alert.uuid, d.reason, d.detail]);
    expect(dead.sort()).toEqual([
      [`${run}-0`, 'rejected', expect.stringContaining('CloudWatch Logs skipped the event: too old')],
      [`${run}-3`, 'rejected', expect.stringContaining('CloudWatch Logs skipped the event: too new')],
    ]);
    const stored = await read(group, 'falco');
    expect(stored.map((e) => (JSON.parse(e.message) as { uuid: string }).uuid)).toEqual([`${run}-1`, `${run}-2`]);
  });

  it('a missing log group is a connect error that says so', async () => {
    const app = await start(yaml('/falco/does-not-exist', '    timeoutms: 2000\n'));
    const worker = app.workers.find((w) => w.name === 'awscloudwatchlogs');
    await waitFor(() => worker?.healthSnapshot().state === 'failing', 20_000, 'connect failure');
    expect(worker?.healthSnapshot().lastError).toMatch(/cannot connect: log group "\/falco\/does-not-exist" does not exist: create it or fix aws.cloudwatchlogs.loggroup/);
  });
});
