// awssecurityhub against moto_server (a real Security Hub API implementation, shallow validation):
// 1,000 alerts → 1,000 complete findings, upserts on re-send, accountid from STS, the seed block.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyOutputPlugin } from '../../../src/plugin/types.ts';
import { PRIORITIES, type Priority } from '../../../src/alert/priority.ts';
import plugin from '../../../outputs/awssecurityhub/index.ts';
import { falcoAlertJson } from '../../support/alerts.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { fixturesDir } from '../../support/fixtures.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';
import { defaultProductArn, type SecurityHubInfra } from '../../infra/securityhub/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { expectRequiredAsff } from './asff.ts';

const SEVERITY: Record<Priority, string> = {
  Debug: 'INFORMATIONAL',
  Informational: 'INFORMATIONAL',
  Notice: 'LOW',
  Warning: 'MEDIUM',
  Error: 'HIGH',
  Critical: 'CRITICAL',
  Alert: 'CRITICAL',
  Emergency: 'CRITICAL',
};

describe.skipIf(infraSkipped('securityhub'))('awssecurityhub against moto', () => {
  let hub: SecurityHubInfra;
  let client: SecurityHubClient;
  const saved = { ...process.env };
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    hub = await useInfra<SecurityHubInfra>('securityhub');
    // The SDK default chain reads these, as it would in a pod.
    process.env.AWS_ACCESS_KEY_ID = hub.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = hub.secretAccessKey;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    client = new SecurityHubClient({ endpoint: hub.endpoint, region: hub.region, credentials: { accessKeyId: hub.accessKeyId, secretAccessKey: hub.secretAccessKey }, maxAttempts: 1 });
    await client.send(new EnableSecurityHubCommand({})).catch((err: Error) => {
      if (!/ResourceConflict|already/i.test(`${err.name} ${err.message}`)) throw err;
    });
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    client?.destroy();
    process.env = saved;
  });

  async function start(yaml: string, p: AnyOutputPlugin = plugin): Promise<RunningApp> {
    const app = await startApp(yaml, { extraPlugins: [p] });
    apps.push(app);
    return app;
  }

  /** Every finding whose Id starts with the prefix (moto ignores Filters, so we page through all). */
  async function findings(prefix: string): Promise<AwsSecurityFinding[]> {
    const out: AwsSecurityFinding[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new GetFindingsCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }));
      out.push(...(page.Findings ?? []).filter((f) => f.Id?.startsWith(prefix)));
      token = page.NextToken;
    } while (token);
    return out;
  }

  const alertJson = (run: string, i: number, priority: Priority): string => falcoAlertJson(i, priority).replace('"uuid":"alert-', `"uuid":"${run}-`);

  it('1,000 alerts become 1,000 complete findings; re-sending the same uuids adds none', async () => {
    const run = `it-${randomUUID().slice(0, 8)}`;
    let calls = 0;
    const counting: AnyOutputPlugin = { ...plugin, sendBatch: (alerts, ctx) => ((calls += 1), plugin.sendBatch(alerts, ctx as Parameters<typeof plugin.sendBatch>[1])) };
    const app = await start(`awssecurityhub:\n  region: ${hub.region}\n  accountid: "${hub.accountId}"\n  endpoint: ${hub.endpoint}\n  batch:\n    flushms: 100\n`, counting);
    const worker = app.workers.find((w) => w.name === 'awssecurityhub');
    const priorityOf = (i: number): Priority => PRIORITIES[i % PRIORITIES.length] as Priority;

    const started = performance.now();
    for (let i = 0; i < 1000; i++) expect((await app.post(alertJson(run, i, priorityOf(i)))).status).toBe(200);
    await waitFor(() => worker?.healthSnapshot().delivered === 1000, 60_000, '1,000 deliveries');
    const seconds = (performance.now() - started) / 1000;
    console.log(`[awssecurityhub] 1,000 alerts delivered to moto in ${seconds.toFixed(2)} s (${Math.round(1000 / seconds)} alerts/s), ${calls} BatchImportFindings batches (${(calls / 1000).toFixed(3)} requests per alert)`);
    expect(worker?.healthSnapshot()).toMatchObject({ deadLettered: 0, state: 'ok' });

    const first = await findings(`falco/${run}-`);
    expect(first).toHaveLength(1000);
    const byId = new Map(first.map((f) => [f.Id, f]));
    for (let i = 0; i < 1000; i++) {
      const f = byId.get(`falco/${run}-${i}`);
      expect(f, `finding ${i}`).toBeDefined();
      expectRequiredAsff(f as unknown as Record<string, unknown>);
      expect(f).toMatchObject({
        ProductArn: defaultProductArn(hub),
        AwsAccountId: hub.accountId,
        GeneratorId: 'falco/Terminal shell in container',
        Types: ['TTPs/Execution'],
        Severity: { Label: SEVERITY[priorityOf(i)], Original: priorityOf(i) },
        CreatedAt: '2026-11-20T10:21:36.167531875Z',
      });
      expect(f?.ProductFields?.['falco/output_fields/evt.time']).toBe(String(1700000000167531875n + BigInt(i)));
    }

    // The same uuids again (another replica, a replay after a crash): upserts by Id, no duplicates.
    for (let i = 0; i < 1000; i++) await app.post(alertJson(run, i, priorityOf(i)));
    await waitFor(() => worker?.healthSnapshot().delivered === 2000, 60_000, '2,000 deliveries');
    const again = await findings(`falco/${run}-`);
    expect(again).toHaveLength(1000);
    expect(new Set(again.map((f) => f.Id)).size).toBe(1000);
  });

  it('asks STS for the account when accountid is empty, and the healthcheck (DescribeHub) passes', async () => {
    const run = `sts-${randomUUID().slice(0, 8)}`;
    const app = await start(`awssecurityhub:\n  region: ${hub.region}\n  endpoint: ${hub.endpoint}\n  stsendpoint: ${hub.endpoint}\n  batch:\n    flushms: 0\n`);
    await app.post(alertJson(run, 1, 'Error'));
    const worker = app.workers.find((w) => w.name === 'awssecurityhub');
    await waitFor(() => worker?.healthSnapshot().delivered === 1, 20_000, 'delivery');
    const [f] = await findings(`falco/${run}-`);
    expect(f).toMatchObject({ AwsAccountId: hub.accountId, ProductArn: defaultProductArn(hub), Severity: { Label: 'HIGH' } });
    expect(worker?.healthSnapshot().state).toBe('ok');
  });

  it('the seed block works unchanged (endpoint added): minimumpriority warning filters', async () => {
    const seed = readFileSync(join(fixturesDir, 'config/seed.yaml'), 'utf8');
    const block = /^awssecurityhub:\n(?: {2}.*\n)+/m.exec(seed)?.[0];
    expect(block).toContain('minimumpriority: "warning"');
    const app = await start(`${block}  endpoint: ${hub.endpoint}\n`);
    const run = `seed-${randomUUID().slice(0, 8)}`;
    await app.post(alertJson(run, 1, 'Notice'));
    await app.post(alertJson(run, 2, 'Warning'));
    await app.post(alertJson(run, 3, 'Critical'));
    const worker = app.workers.find((w) => w.name === 'awssecurityhub');
    await waitFor(() => worker?.healthSnapshot().delivered === 2, 20_000, 'two deliveries');
    const got = await findings(`falco/${run}-`);
    expect(got.map((f) => [f.Id, f.Severity?.Label]).sort()).toEqual([
      [`falco/${run}-2`, 'MEDIUM'],
      [`falco/${run}-3`, 'CRITICAL'],
    ]);
  });

  it('rolearn: signs with the credentials of the assumed role (STS AssumeRole on moto)', async () => {
    const receiver = await new Receiver().start();
    try {
      receiver.setBehaviour((req) => ({ kind: 'ok', body: req.url === '/findings/import' ? '{"FailedCount":0,"SuccessCount":1,"FailedFindings":[]}' : '{}' }));
      const app = await start(
        `awssecurityhub:\n  region: ${hub.region}\n  accountid: "${hub.accountId}"\n  endpoint: ${receiver.url('')}\n  stsendpoint: ${hub.endpoint}\n  rolearn: arn:aws:iam::${hub.accountId}:role/falco-import\n  batch:\n    flushms: 0\n`,
      );
      await app.post(alertJson(`role-${randomUUID().slice(0, 8)}`, 1, 'Error'));
      await waitFor(() => receiver.received.some((r) => r.url === '/findings/import'), 20_000, 'import');
      const req = receiver.received.find((r) => r.url === '/findings/import');
      // Temporary credentials from AssumeRole: a different access key than the default chain's, plus a session token.
      expect(req?.headers.authorization).toMatch(/Credential=(?!testing\/)\S+\/\d{8}\/us-east-1\/securityhub\/aws4_request/);
      expect(req?.headers['x-amz-security-token']).toEqual(expect.any(String));
    } finally {
      await receiver.stop();
    }
  });
});
