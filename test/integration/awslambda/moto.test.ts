// awslambda against moto_server (a real Lambda API), with moto's Lambda set not to use Docker: Invoke
// answers without running code (200 for RequestResponse, 202 for Event). What the function was given
// is read back from moto's request recorder: every alert exactly once, as its JSON payload, with
// falcosidekick's X-Amz-Invocation-Type and X-Amz-Log-Type headers.
import { randomUUID } from 'node:crypto';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { expectExactAlerts, postInOrder } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';
import type { SecurityHubInfra as MotoInfra } from '../../infra/securityhub/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  body_encoded: boolean;
}

describe.skipIf(infraSkipped('securityhub'))('awslambda against moto', () => {
  let moto: MotoInfra;
  let lambda: LambdaClient;
  let role: string;
  const apps: RunningApp[] = [];

  async function motoPost(path: string, body = '', headers: Record<string, string> = {}): Promise<string> {
    const res = await request(`${moto.endpoint}${path}`, { method: 'POST', body, headers });
    const text = await res.body.text();
    expect(res.statusCode, `${path}: ${text}`).toBeLessThan(300);
    return text;
  }

  beforeAll(async () => {
    moto = await useInfra<MotoInfra>('securityhub');
    lambda = new LambdaClient({ endpoint: moto.endpoint, region: moto.region, credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey }, maxAttempts: 1 });
    // Lambda without Docker: functions made from here on answer Invoke without running.
    await motoPost('/moto-api/config', JSON.stringify({ lambda: { use_docker: false } }), { 'content-type': 'application/json' });
    // CreateFunction wants an existing IAM role: IAM's query API (moto routes it by the credential scope).
    const name = `falco-${randomUUID().slice(0, 8)}`;
    const form = new URLSearchParams({ Action: 'CreateRole', Version: '2010-05-08', RoleName: name, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}' });
    await motoPost('/', form.toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=${moto.accessKeyId}/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0`,
    });
    role = `arn:aws:iam::${moto.accountId}:role/${name}`;
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    lambda?.destroy();
  });

  async function createFunction(name: string): Promise<string> {
    const res = await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: role, Code: { ZipFile: Buffer.from('moto runs no code without Docker') } }));
    return res.FunctionArn as string;
  }

  /** The Invoke requests moto received for the function (the recorder is on for the whole file). */
  async function invocations(name: string): Promise<Recorded[]> {
    const text = await request(`${moto.endpoint}/moto-api/recorder/download-recording`).then((r) => r.body.text());
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Recorded)
      .filter((r) => r.method === 'POST' && new URL(r.url, moto.endpoint).pathname === `/2015-03-31/functions/${name}/invocations`);
  }
  const payload = (r: Recorded) => (r.body_encoded ? Buffer.from(r.body, 'base64').toString('utf8') : r.body);
  const header = (r: Recorded, name: string) => Object.entries(r.headers).find(([k]) => k.toLowerCase() === name)?.[1];

  const yaml = (fn: string, extra = '') =>
    `aws:\n  accesskeyid: ${moto.accessKeyId}\n  secretaccesskey: ${moto.secretAccessKey}\n  region: ${moto.region}\n  endpoint: ${moto.endpoint}\n  lambda:\n    functionname: ${fn}\n    timeoutms: 30000\n${extra}`;

  async function start(config: string): Promise<RunningApp> {
    const app = await startApp(config);
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    await motoPost('/moto-api/recorder/reset-recording');
    await motoPost('/moto-api/recorder/start-recording');
  });
  afterAll(async () => {
    if (moto) await motoPost('/moto-api/recorder/stop-recording');
  });

  it('RequestResponse (the default): 200 alerts, one invocation each, the alert JSON as payload, Tail log type', { timeout: 120_000 }, async () => {
    const run = `rr-${randomUUID().slice(0, 8)}`;
    await createFunction(run);
    const app = await start(yaml(run));
    await postInOrder(app, run, 200);
    const worker = app.workers.find((w) => w.name === 'awslambda');
    await waitFor(() => worker?.healthSnapshot().delivered === 200, 90_000, '200 deliveries');
    expect(worker?.healthSnapshot()).toMatchObject({ deadLettered: 0, queued: 0 });
    const calls = await invocations(run);
    expect(calls).toHaveLength(200);
    expectExactAlerts(calls.map(payload), run, 200);
    for (const call of calls) {
      // The headers falcosidekick's Go SDK sends (captured from it): the same three.
      expect([header(call, 'x-amz-invocation-type'), header(call, 'x-amz-log-type'), header(call, 'content-type')]).toEqual(['RequestResponse', 'Tail', 'application/octet-stream']);
    }
  });

  it('the exact payload of one alert; Event invocation by function ARN (the region from the ARN), log type None', async () => {
    const run = `ev-${randomUUID().slice(0, 8)}`;
    const arn = await createFunction(run);
    const app = await start(yaml(arn, '    invocationtype: Event\n    logtype: None\n').replace(`  region: ${moto.region}\n`, ''));
    const posted = `{"uuid":"${run}","output":"a \\"quoted\\" é output","priority":"critical","rule":"R","time":"2026-11-20T10:21:36.1Z","output_fields":{"evt.time":1700000000167531875,"x":null},"source":"syscall","hostname":"h"}`;
    expect((await app.post(posted)).status).toBe(200);
    await waitFor(() => app.workers[0]?.healthSnapshot().delivered === 1, 20_000, 'one delivery');
    const calls = await invocations(encodeURIComponent(arn));
    expect(calls.map((c) => [payload(c), header(c, 'x-amz-invocation-type'), header(c, 'x-amz-log-type')])).toEqual([
      [`{"uuid":"${run}","output":"a \\"quoted\\" é output","priority":"Critical","rule":"R","time":"2026-11-20T10:21:36.1Z","output_fields":{"evt.time":1700000000167531875,"x":null},"source":"syscall","hostname":"h"}`, 'Event', 'None'],
    ]);
  });

  // moto does not check a request's size nor the function's existence without Docker, and never
  // answers a function error: those answers are covered by invoke.test.ts.
  it('aws.checkidentity: an unreachable STS is a connect error that names the check', async () => {
    const app = await start(`aws:\n  accesskeyid: testing\n  secretaccesskey: testing\n  region: us-east-1\n  endpoint: http://127.0.0.1:9\n  lambda:\n    functionname: nowhere\n    timeoutms: 500\n`);
    const worker = app.workers.find((w) => w.name === 'awslambda');
    await waitFor(() => worker?.healthSnapshot().state === 'failing', 20_000, 'connect failure');
    expect(worker?.healthSnapshot().lastError).toMatch(/cannot connect: awslambda: aws.checkidentity is on and: STS GetCallerIdentity failed .*fix the AWS credentials/);
  });
});
