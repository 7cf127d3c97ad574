// The plugin inside the real app against a fault-injecting Security Hub stand-in (test/support/receiver.ts):
// per-finding failures, whole-call errors, the healthcheck, the seed block. Real sockets, fake clock:
// batching, backoff and the healthcheck run on a FakeClock that settle() moves while no call is in flight.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inspect, leafPaths } from '../../src/config/introspect.ts';
import { loadConfig } from '../../src/config/load.ts';
import { outputSchema } from '../../src/config/schema.ts';
import { outputs } from '../../test/support/outputs.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { startApp, type RunningApp } from '../../test/support/app.ts';
import { fixturesDir } from '../../test/support/fixtures.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { Receiver, type Received } from '../../test/support/receiver.ts';
import plugin from './index.ts';
import { join } from 'node:path';

interface Body {
  Findings: { Id: string; Severity: { Label: string } }[];
}

const saved = { ...process.env };
beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});
afterAll(() => {
  process.env = saved;
});

function yaml(receiver: Receiver, extra = ''): string {
  return `awssecurityhub:
  region: us-east-1
  accountid: "123456789012"
  endpoint: ${receiver.url('')}
  batch:
    flushms: 20
  retry:
    initialbackoffms: 20
    maxbackoffms: 100
${extra}`;
}

const imports = (r: Receiver): Received[] => r.received.filter((q) => q.url === '/findings/import');
const ids = (q: Received): string[] => (JSON.parse(q.body) as Body).Findings.map((f) => f.Id);

describe('awssecurityhub delivery against a fault receiver', () => {
  let receiver: Receiver;
  let app: RunningApp | undefined;
  let clock = new FakeClock();
  /** Waits for `done`, moving the clock while no request is in flight. */
  let settle: ReturnType<typeof settler>;
  const start = async (): Promise<RunningApp> => {
    clock = new FakeClock();
    app = await startApp(yaml(receiver), { clock });
    settle = settler(clock, app);
    return app;
  };

  beforeAll(async () => {
    receiver = await new Receiver().start();
  });
  afterEach(async () => {
    if (app) await closeOnClock(app, clock);
    app = undefined;
    receiver.received.length = 0;
    receiver.setBehaviour(() => ({ kind: 'ok' }));
  });
  afterAll(() => receiver.stop());

  it('retries or dead-letters only the findings that failed, per ErrorCode', async () => {
    const rejected = new Set(['falco/alert-3', 'falco/alert-11']);
    const transient = new Map([['falco/alert-5', 'InternalException'], ['falco/alert-8', 'ThrottlingException']]);
    const seen = new Set<string>();
    receiver.setBehaviour((req) => {
      if (req.url !== '/findings/import') return { kind: 'ok' };
      const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
      for (const id of ids(req)) {
        if (rejected.has(id)) failed.push({ Id: id, ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to ASFF' });
        else if (transient.has(id) && !seen.has(id)) failed.push({ Id: id, ErrorCode: transient.get(id) as string, ErrorMessage: 'try again' });
        seen.add(id);
      }
      const body = { FailedCount: failed.length, SuccessCount: ids(req).length - failed.length, FailedFindings: failed };
      return { kind: 'ok', body: JSON.stringify(body) };
    });
    app = await start();
    for (let i = 0; i < 20; i++) expect((await app.post(falcoAlertJson(i, 'Warning'))).status).toBe(200);

    await settle(() => app?.deadLetters.size() === 2 && imports(receiver).length >= 2, 'two dead letters and a retry');
    const worker = app.workers.find((w) => w.name === 'awssecurityhub');
    await worker?.idle();

    // Each finding went out once, except the two transient failures, which went out exactly once more.
    const sent = new Map<string, number>();
    for (const id of imports(receiver).flatMap(ids)) sent.set(id, (sent.get(id) ?? 0) + 1);
    expect(sent.size).toBe(20);
    for (const [id, times] of sent) expect([id, times]).toEqual([id, transient.has(id) ? 2 : 1]);
    expect(app.deadLetters.list().map((d) => [d.alert.uuid, d.reason, d.detail])).toEqual([
      ['alert-3', 'rejected', expect.stringContaining('InvalidInput: Finding does not adhere to ASFF')],
      ['alert-11', 'rejected', expect.stringContaining('InvalidInput')],
    ]);
    expect(worker?.healthSnapshot()).toMatchObject({ delivered: 18, deadLettered: 2, queued: 0 });
  });

  it('signs requests, sends the ASFF JSON to /findings/import and passes the healthcheck (DescribeHub)', async () => {
    receiver.setBehaviour((req) => (req.url === '/findings/import' ? { kind: 'ok', body: '{"FailedCount":0,"SuccessCount":1,"FailedFindings":[]}' } : { kind: 'ok', body: '{"HubArn":"arn:aws:securityhub:us-east-1:123456789012:hub/default"}' }));
    app = await start();
    await app.post(falcoAlertJson(1, 'Critical'));
    await settle(() => imports(receiver).length === 1, 'one import');
    const req = imports(receiver)[0] as Received;
    expect(req.method).toBe('POST');
    expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/us-east-1\/securityhub\/aws4_request/);
    expect((JSON.parse(req.body) as Body).Findings[0]).toMatchObject({ Id: 'falco/alert-1', Severity: { Label: 'CRITICAL' } });
    expect(receiver.received.some((q) => q.method === 'GET' && q.url === '/accounts')).toBe(true);
    expect(app.workers.find((w) => w.name === 'awssecurityhub')?.healthSnapshot().state).toBe('ok');
  });

  it('refused credentials keep alerts queued (auth) and a 400 ValidationException dead-letters the batch', async () => {
    let mode: 'denied' | 'ok' = 'denied';
    receiver.setBehaviour((req) => {
      if (req.url !== '/findings/import') return { kind: 'status', status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException' }, body: '{"message":"not authorized"}' };
      if (mode === 'denied') return { kind: 'status', status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException' }, body: '{"message":"User is not authorized to perform: securityhub:BatchImportFindings"}' };
      return { kind: 'ok', body: `{"FailedCount":0,"SuccessCount":${ids(req).length},"FailedFindings":[]}` };
    });
    app = await start();
    const worker = app.workers.find((w) => w.name === 'awssecurityhub');
    for (let i = 0; i < 5; i++) await app.post(falcoAlertJson(100 + i, 'Error'));
    await settle(() => (worker?.healthSnapshot().consecutiveFailures ?? 0) >= 2, 'auth failures');
    const h = worker?.healthSnapshot();
    expect(h?.state).toBe('failing');
    expect(h?.lastError).toMatch(/AccessDeniedException.*IAM policy/);
    expect(h?.queued).toBe(5);
    expect(app.deadLetters.size()).toBe(0);
    mode = 'ok';
    await settle(() => worker?.healthSnapshot().delivered === 5, 'delivery after the fix');

    receiver.setBehaviour((req) =>
      req.url === '/findings/import'
        ? { kind: 'status', status: 400, headers: { 'x-amzn-errortype': 'InvalidInputException' }, body: '{"message":"bad finding"}' }
        : { kind: 'ok' },
    );
    await app.post(falcoAlertJson(200, 'Error'));
    await settle(() => app?.deadLetters.size() === 1, 'dead letter');
    expect(app.deadLetters.list()[0]).toMatchObject({ reason: 'rejected', detail: expect.stringContaining('InvalidInputException') });
  });

  it('healthcheck says what to fix when Security Hub is not enabled', async () => {
    receiver.setBehaviour(() => ({ kind: 'status', status: 401, headers: { 'x-amzn-errortype': 'InvalidAccessException' }, body: '{"message":"Account is not subscribed to AWS Security Hub"}' }));
    app = await start();
    const worker = app.workers.find((w) => w.name === 'awssecurityhub');
    await settle(() => worker?.healthSnapshot().state === 'failing', 'healthcheck failure');
    expect(worker?.healthSnapshot().lastError).toMatch(/healthcheck: DescribeHub in account 123456789012, region us-east-1 failed: .*enable it \(aws securityhub enable-security-hub\)/);
  });
});

describe('awssecurityhub config', () => {
  it('loads the seed block unchanged: enabled by region, minimumpriority warning, defaults filled in', () => {
    const { config, enabled } = loadConfig({ file: join(fixturesDir, 'config/seed.yaml'), env: {}, plugins: outputs });
    expect(enabled).toContain('awssecurityhub');
    expect((config as Record<string, unknown>).awssecurityhub).toMatchObject({
      region: 'us-east-1',
      accountid: '123456789012',
      minimumpriority: 'warning',
      productarn: '',
      endpoint: '',
      rolearn: '',
      maxcallspersecond: 10,
      burstcalls: 30,
    });
  });

  it('honours the plugin contract: every option described, example on, off when empty', () => {
    const schema = outputSchema(plugin);
    expect(leafPaths(schema).filter((l) => !inspect(l.schema).description).map((l) => l.path.join('.'))).toEqual([]);
    expect(plugin.enabled(schema.parse(plugin.example) as never)).toBe(true);
    expect(plugin.enabled(schema.parse({}) as never)).toBe(false);
  });

  it('is off without a region, and refuses malformed values', () => {
    expect(plugin.enabled(plugin.schema.parse({}))).toBe(false);
    expect(plugin.schema.safeParse({ region: 'us-east-1', accountid: '1234' }).success).toBe(false);
    expect(plugin.schema.safeParse({ region: 'US East', accountid: '123456789012' }).success).toBe(false);
    expect(plugin.schema.safeParse({ region: 'us-east-1', rolearn: 'falco-role' }).success).toBe(false);
    expect(plugin.schema.safeParse({ region: 'eu-west-3', rolearn: 'arn:aws:iam::123456789012:role/falco', endpoint: 'https://vpce.example.com' }).success).toBe(true);
  });
});
