// yandexs3: falcosidekick's keys and defaults (yandex.s3.*, the shared yandex: section), the client
// it builds (Yandex's endpoint, path-style, the region, the static key), the PutObject it sends and
// what Object Storage's errors mean.
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { serializeAlert } from '../../src/plugin/index.ts';
import { yandexShared } from '../../src/plugin/yandex.ts';
import { awsSdkError, testAlerts } from '../../test/support/alerts.ts';
import { outputs } from '../../test/support/outputs.ts';
import { connectContext, sendContext } from '../../test/support/plugin-context.ts';
import { Receiver } from '../../test/support/receiver.ts';
import yandexs3 from './index.ts';

const load = (env: Record<string, string>) => loadConfig({ env, plugins: outputs, cwd: tmpdir() });
const options = (o: Record<string, unknown> = {}) => yandexs3.schema.parse({ bucket: 'falco-alerts', ...o });
const connect = (o: ReturnType<typeof options>, shared: Record<string, unknown>) => (yandexs3.connect as NonNullable<typeof yandexs3.connect>)(o, connectContext('yandexs3', { shared }));
const keys = { accesskeyid: 'YCAJE-key', secretaccesskey: 'YCsecret' };

interface Put {
  Bucket: string;
  Key: string;
  Body: Buffer;
  [k: string]: unknown;
}

function scripted(answer: (n: number) => Error | undefined = () => undefined) {
  const calls: Put[] = [];
  const s3 = {
    send: async (command: { input: Put }) => {
      calls.push(command.input);
      const err = answer(calls.length - 1);
      if (err) throw err;
      return {};
    },
  };
  return { client: { s3 } as never, calls };
}

describe('yandexs3 options', () => {
  it('loads falcosidekick\'s env names: YANDEX_ACCESSKEYID, YANDEX_SECRETACCESSKEY, YANDEX_REGION, YANDEX_S3_*', () => {
    const { config } = load({
      YANDEX_ACCESSKEYID: 'id',
      YANDEX_SECRETACCESSKEY: 'secret',
      YANDEX_REGION: 'kz1',
      YANDEX_S3_BUCKET: 'b',
      YANDEX_S3_PREFIX: 'alerts/falco',
      YANDEX_S3_ENDPOINT: 'https://storage.example.kz',
      YANDEX_S3_MINIMUMPRIORITY: 'warning',
    });
    expect(config).toMatchObject({ yandex: { accesskeyid: 'id', secretaccesskey: 'secret', region: 'kz1', s3: { bucket: 'b', prefix: 'alerts/falco', endpoint: 'https://storage.example.kz', minimumpriority: 'warning' } } });
  });

  it('falcosidekick\'s defaults: prefix falco, endpoint storage.yandexcloud.net, region ru-central1; on only with a bucket', () => {
    const empty = yandexs3.schema.parse({});
    expect(empty).toEqual({ bucket: '', prefix: 'falco', endpoint: 'https://storage.yandexcloud.net' });
    expect(yandexs3.enabled(empty)).toBe(false);
    expect(yandexs3.enabled(yandexs3.schema.parse({ bucket: 'b' }))).toBe(true);
    expect(yandexShared.schema.parse({})).toEqual({ accesskeyid: '', secretaccesskey: '', region: 'ru-central1' });
  });

  it.each([
    [{ YANDEX_S3_ENDPOINT: 'storage.yandexcloud.net' }, 'yandex.s3.endpoint', 'YANDEX_S3_ENDPOINT'],
    [{ YANDEX_REGION: 'RU Central' }, 'yandex.region', 'YANDEX_REGION'],
  ])('a bad value is a startup problem naming the key and its env var: %o', (env, path, name) => {
    expect(() => load({ YANDEX_S3_BUCKET: 'b', ...env })).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ path, env: name })] }));
  });
});

describe('yandexs3 connect', () => {
  const receivers: Receiver[] = [];
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.stop();
  });

  it('without the static key: a connect error naming the keys to set (falcosidekick fails every upload)', async () => {
    await expect(connect(options(), { accesskeyid: 'id' })).rejects.toThrow(
      'yandexs3: set yandex.accesskeyid and yandex.secretaccesskey (a static access key of a service account)',
    );
  });

  it('PUTs path-style to the endpoint, signed with the static key for the region ("" = ru-central1)', async () => {
    const receiver = await new Receiver().start();
    receivers.push(receiver);
    receiver.setBehaviour(() => ({ kind: 'ok', body: '' }));
    const o = options({ endpoint: receiver.url('') });
    const client = await connect(o, { ...keys, region: '' });
    try {
      expect(await yandexs3.sendBatch(testAlerts(1), sendContext(o, client))).toEqual({ kind: 'ok' });
    } finally {
      yandexs3.close?.(client);
    }
    const [req] = receiver.received;
    expect([req?.method, req?.url.split('?')[0], req?.headers.host]).toEqual(['PUT', '/falco-alerts/falco/year%3D2026/month%3D11/day%3D20/hour%3D10/alert-0-1.ndjson.gz', `127.0.0.1:${receiver.port}`]);
    expect(req?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=YCAJE-key\/\d{8}\/ru-central1\/s3\/aws4_request, /);
    // Headers as falcosidekick's upload has them: no ACL, no checksum (S3-compatible stores refuse it).
    expect(Object.keys(req?.headers ?? {}).filter((h) => /^x-amz-(acl|checksum|sdk-checksum|trailer)/.test(h) || h === 'content-md5')).toEqual([]);
    expect(req?.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the endpoint "" (falcosidekick\'s chart writes it) means storage.yandexcloud.net', async () => {
    const client = await connect(options({ endpoint: '' }), keys);
    try {
      const endpoint = await (client.s3.config.endpoint as () => Promise<{ hostname: string; protocol: string }>)();
      expect([endpoint.protocol, endpoint.hostname, client.s3.config.forcePathStyle, await client.s3.config.region()]).toEqual(['https:', 'storage.yandexcloud.net', true, 'ru-central1']);
    } finally {
      yandexs3.close?.(client);
    }
  });
});

describe('yandexs3 send', () => {
  it('one gzipped NDJSON object per batch and hour of alert time, no ACL, no checksum (as falcosidekick)', async () => {
    const { client, calls } = scripted();
    const alerts = [...testAlerts(2), ...testAlerts(1, { time: '2026-11-20T11:00:00Z', uuid: 'next-hour' })];
    expect(await yandexs3.sendBatch(alerts, sendContext(options({ prefix: 'alerts/falco' }), client))).toEqual({ kind: 'ok' });
    expect(calls.map(({ Body, ...rest }) => ({ ...rest, lines: gunzipSync(Body).toString() }))).toEqual([
      {
        Bucket: 'falco-alerts',
        Key: 'alerts/falco/year=2026/month=11/day=20/hour=10/alert-0-2.ndjson.gz',
        ContentType: 'application/x-ndjson',
        ContentEncoding: 'gzip',
        lines: `${serializeAlert(alerts[0] as never)}\n${serializeAlert(alerts[1] as never)}\n`,
      },
      {
        Bucket: 'falco-alerts',
        Key: 'alerts/falco/year=2026/month=11/day=20/hour=11/next-hour-1.ndjson.gz',
        ContentType: 'application/x-ndjson',
        ContentEncoding: 'gzip',
        lines: `${serializeAlert(alerts[2] as never)}\n`,
      },
    ]);
  });

  it.each([
    ['NoSuchBucket', 404, { kind: 'retry', auth: true, reason: 'NoSuchBucket (HTTP 404): m (the bucket does not exist: create it or fix yandex.s3.bucket)' }],
    ['InvalidAccessKeyId', 403, { kind: 'retry', auth: true, reason: 'InvalidAccessKeyId (HTTP 403): m (the static access key was refused: check yandex.accesskeyid and yandex.secretaccesskey)' }],
    ['SignatureDoesNotMatch', 403, { kind: 'retry', auth: true, reason: 'SignatureDoesNotMatch (HTTP 403): m (the static access key was refused: check yandex.accesskeyid and yandex.secretaccesskey)' }],
    ['AccessDenied', 403, { kind: 'retry', auth: true, reason: "AccessDenied (HTTP 403): m (the service account lacks the role for this call: grant it on the bucket's or stream's folder)" }],
    ['AuthorizationHeaderMalformed', 400, { kind: 'retry', auth: true, reason: "AuthorizationHeaderMalformed (HTTP 400): m (the request was signed for another region than the bucket's: set yandex.region to the bucket's region)" }],
    ['SlowDown', 503, { kind: 'retry', afterMs: 1000, reason: 'throttled by Yandex Object Storage: SlowDown (HTTP 503): m' }],
    ['InternalError', 500, { kind: 'retry', reason: 'InternalError (HTTP 500): m' }],
    ['InvalidArgument', 400, { kind: 'fail', reason: 'Yandex Object Storage rejected the call: InvalidArgument (HTTP 400): m' }],
  ])('%s (HTTP %i)', async (name, status, expected) => {
    const { client } = scripted(() => awsSdkError(name, status, 'm'));
    expect(await yandexs3.sendBatch(testAlerts(1), sendContext(options(), client))).toEqual(expected);
  });
});
