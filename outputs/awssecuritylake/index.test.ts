// aws.securitylake's keys as falcosidekick 2.34.1 spells them (env AWS_SECURITYLAKE_*), interval and
// batchsize as the core's batch settings, and one PutObject per eventDay classified per object.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { deliverySettings } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { OutputSection } from '../../src/config/schema.ts';
import { outputs } from '../../test/support/outputs.ts';
import { awsSdkError, testAlerts } from '../../test/support/alerts.ts';
import { sendContext } from '../../test/support/plugin-context.ts';
import lake from './index.ts';

const load = (env: Record<string, string>) => loadConfig({ env, plugins: outputs, cwd: tmpdir() });
const ON = { AWS_SECURITYLAKE_BUCKET: 'aws-security-data-lake-eu-west-3-x', AWS_SECURITYLAKE_REGION: 'eu-west-3', AWS_SECURITYLAKE_PREFIX: 'ext/falco', AWS_SECURITYLAKE_ACCOUNTID: '123456789012' };
const section = (env: Record<string, string>) => (load(env).config as unknown as { aws: { securitylake: OutputSection } }).aws.securitylake;
const options = lake.schema.parse({ bucket: 'b', region: 'eu-west-3', prefix: 'ext/falco', accountid: '123456789012' });

interface Put {
  input: { Bucket: string; Key: string; Body: Uint8Array; ContentType: string; ACL: string; ChecksumAlgorithm: string };
}

function fakeS3(answers: (Error | undefined)[]) {
  const puts: Put['input'][] = [];
  return {
    puts,
    client: {
      s3: {
        send: async (command: Put) => {
          puts.push(command.input);
          const answer = answers[puts.length - 1];
          if (answer) throw answer;
          return {};
        },
      },
      bucket: 'b',
      prefix: 'ext/falco',
      region: 'eu-west-3',
      accountid: '123456789012',
    },
  };
}

const send = (alerts: ReturnType<typeof testAlerts>, client: ReturnType<typeof fakeS3>['client']) => lake.sendBatch(alerts, sendContext(options, client as never) as never);

describe('awssecuritylake options', () => {
  it('loads AWS_SECURITYLAKE_* into aws.securitylake.*, falcosidekick\'s defaults (interval 5, batchsize 1000)', () => {
    const { config, enabled } = load({ ...ON, AWS_SECURITYLAKE_MINIMUMPRIORITY: 'warning' });
    expect(enabled).toContain('awssecuritylake');
    expect(config).toMatchObject({ aws: { securitylake: { bucket: 'aws-security-data-lake-eu-west-3-x', region: 'eu-west-3', prefix: 'ext/falco', accountid: '123456789012', interval: 5, batchsize: 1000, minimumpriority: 'warning' } } });
  });

  it('is off without a bucket', () => {
    expect(lake.enabled(lake.schema.parse({}))).toBe(false);
    expect(load({}).enabled).not.toContain('awssecuritylake');
  });

  it.each([
    ['AWS_SECURITYLAKE_REGION', 'aws.securitylake.region', '', 'must be the bucket\'s AWS region such as us-east-1 when bucket is set'],
    ['AWS_SECURITYLAKE_REGION', 'aws.securitylake.region', 'Paris', 'must be the bucket\'s AWS region such as us-east-1 when bucket is set'],
    ['AWS_SECURITYLAKE_PREFIX', 'aws.securitylake.prefix', '/', 'is required when bucket is set: the custom source\'s location, e.g. ext/falco'],
    ['AWS_SECURITYLAKE_ACCOUNTID', 'aws.securitylake.accountid', '1234', 'must be the 12-digit AWS account id when bucket is set'],
  ])('%s=%j: a startup problem naming the key', (env, path, value, message) => {
    expect(() => load({ ...ON, [env]: value })).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ path, message })] }));
  });

  it('batchsize is batch.maxevents and interval (minutes, 5..60 as falcosidekick clamps it) batch.flushms; explicit batch keys win', () => {
    const batch = (env: Record<string, string>) => deliverySettings(section({ ...ON, ...env }), lake).batch;
    expect(batch({})).toEqual({ maxevents: 1000, maxbytes: 64_000_000, flushms: 300_000 });
    expect(batch({ AWS_SECURITYLAKE_BATCHSIZE: '10', AWS_SECURITYLAKE_INTERVAL: '7' })).toMatchObject({ maxevents: 10, flushms: 420_000 });
    expect(batch({ AWS_SECURITYLAKE_INTERVAL: '1' })).toMatchObject({ flushms: 300_000 });
    expect(batch({ AWS_SECURITYLAKE_INTERVAL: '90' })).toMatchObject({ flushms: 3_600_000 });
    expect(batch({ AWS_SECURITYLAKE_BATCH_FLUSHMS: '100', AWS_SECURITYLAKE_BATCH_MAXEVENTS: '5' })).toMatchObject({ maxevents: 5, flushms: 100 });
  });

  it('batchsize 0 is a startup problem (falcosidekick then never writes anything)', () => {
    expect(() => load({ ...ON, AWS_SECURITYLAKE_BATCHSIZE: '0' })).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ path: 'aws.securitylake.batchsize' })] }));
  });
});

describe('awssecuritylake sendBatch', () => {
  it('one PutObject per eventDay: Parquet, bucket-owner-full-control, a CRC32, the key from its alerts', async () => {
    const s3 = fakeS3([]);
    const alerts = [...testAlerts(2), ...testAlerts(1, { uuid: 'next-day', time: '2026-11-21T00:00:01Z' })];
    expect(await send(alerts, s3.client)).toEqual({ kind: 'ok' });
    expect(s3.puts.map(({ Body, ...rest }) => ({ ...rest, parquet: Buffer.from(Body.subarray(0, 4)).toString() }))).toEqual([
      { Bucket: 'b', Key: 'ext/falco/region=eu-west-3/accountId=123456789012/eventDay=20261120/alert-0-daa87db113e847a0.parquet', ContentType: 'application/vnd.apache.parquet', ACL: 'bucket-owner-full-control', ChecksumAlgorithm: 'CRC32', parquet: 'PAR1' },
      { Bucket: 'b', Key: 'ext/falco/region=eu-west-3/accountId=123456789012/eventDay=20261121/next-day-390e534470a488db.parquet', ContentType: 'application/vnd.apache.parquet', ACL: 'bucket-owner-full-control', ChecksumAlgorithm: 'CRC32', parquet: 'PAR1' },
    ]);
  });

  it('the same batch sent again writes the same keys (no second object)', async () => {
    const alerts = testAlerts(3);
    const first = fakeS3([]);
    const again = fakeS3([]);
    await send(alerts, first.client);
    await send(alerts, again.client);
    expect(again.puts.map((p) => p.Key)).toEqual(first.puts.map((p) => p.Key));
  });

  it.each([
    ['NoSuchBucket', 404, { kind: 'retry', auth: true, reason: expect.stringContaining('fix aws.securitylake.bucket') }],
    ['PermanentRedirect', 301, { kind: 'retry', auth: true, reason: expect.stringContaining("set aws.region (or aws.securitylake.region) to the bucket's region") }],
    ['AuthorizationHeaderMalformed', 400, { kind: 'retry', auth: true, reason: expect.stringContaining("to the bucket's region") }],
    ['AccessDenied', 403, { kind: 'retry', auth: true, reason: expect.stringContaining('fix the IAM policy') }],
    ['InvalidAccessKeyId', 403, { kind: 'retry', auth: true, reason: expect.stringContaining('not valid') }],
    ['SlowDown', 503, { kind: 'retry', afterMs: 1000, reason: expect.stringContaining('throttled by S3') }],
    ['InternalError', 500, { kind: 'retry', reason: 'InternalError (HTTP 500): InternalError message', wholeCall: true }],
    ['RequestTimeout', 400, { kind: 'retry', reason: 'RequestTimeout (HTTP 400): RequestTimeout message', wholeCall: true }],
    ['InvalidArgument', 400, { kind: 'fail', reason: 'S3 rejected the call: InvalidArgument (HTTP 400): InvalidArgument message', wholeCall: true }],
    ['EntityTooLarge', 400, { kind: 'fail', reason: expect.stringContaining('EntityTooLarge'), wholeCall: true }],
  ])('%s (HTTP %i), an object of two alerts → %o', async (name, status, outcome) => {
    const s3 = fakeS3([awsSdkError(name, status)]);
    const result = await send(testAlerts(2), s3.client);
    expect(result).toEqual(outcome);
  });

  it('two objects, the second refused: the first day\'s alerts delivered, the second\'s failed apart', async () => {
    const s3 = fakeS3([undefined, awsSdkError('InvalidArgument', 400)]);
    const alerts = [...testAlerts(1), ...testAlerts(1, { uuid: 'next-day', time: '2026-11-21T00:00:01Z' })];
    const result = await send(alerts, s3.client);
    expect(result).toEqual({ kind: 'partial', items: [{ kind: 'ok' }, { kind: 'fail', reason: 'S3 rejected the call: InvalidArgument (HTTP 400): InvalidArgument message' }] });
  });

  it('an object of several alerts refused in a batch of two days: its alerts are failed together, so the core halves them', async () => {
    const s3 = fakeS3([undefined, awsSdkError('InvalidArgument', 400)]);
    const alerts = [...testAlerts(1), ...testAlerts(2, { time: '2026-11-21T00:00:01Z' }).map((a, i) => ({ ...a, uuid: `next-${i}` }))];
    const result = await send(alerts, s3.client);
    const together = { kind: 'fail', reason: 'S3 rejected the call: InvalidArgument (HTTP 400): InvalidArgument message', wholeCall: true };
    expect(result).toEqual({ kind: 'partial', items: [{ kind: 'ok' }, together, together] });
  });

  it('throttled on the first object: the later one is not tried and waits as well', async () => {
    const s3 = fakeS3([awsSdkError('SlowDown', 503)]);
    const alerts = [...testAlerts(1), ...testAlerts(1, { uuid: 'next-day', time: '2026-11-21T00:00:01Z' })];
    const result = await send(alerts, s3.client);
    expect(s3.puts).toHaveLength(1);
    expect(result).toMatchObject({ kind: 'retry', afterMs: 1000 });
  });
});
