// yandexdatastreams: falcosidekick's keys and defaults (yandex.datastreams.*, the shared yandex:
// section), the PutRecords call it makes at Yandex's endpoint (exact body, signing region, static
// key) and what Data Streams' answers mean, named after its own keys.
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { serializeAlert } from '../../src/plugin/index.ts';
import { awsSdkError, testAlerts } from '../../test/support/alerts.ts';
import { outputs } from '../../test/support/outputs.ts';
import { connectContext, sendContext } from '../../test/support/plugin-context.ts';
import { Receiver } from '../../test/support/receiver.ts';
import yds from './index.ts';

const STREAM = '/ru-central1/b1gfolder/etndb/falco';
const load = (env: Record<string, string>) => loadConfig({ env, plugins: outputs, cwd: tmpdir() });
const options = (o: Record<string, unknown> = {}) => yds.schema.parse({ streamname: STREAM, ...o });
const connect = (o: ReturnType<typeof options>, shared: Record<string, unknown>) => (yds.connect as NonNullable<typeof yds.connect>)(o, connectContext('yandexdatastreams', { shared }));
const keys = { accesskeyid: 'YCAJE-key', secretaccesskey: 'YCsecret' };

describe('yandexdatastreams options', () => {
  it('loads falcosidekick\'s env names: YANDEX_ACCESSKEYID, YANDEX_SECRETACCESSKEY, YANDEX_REGION, YANDEX_DATASTREAMS_*', () => {
    const { config } = load({
      YANDEX_ACCESSKEYID: 'id',
      YANDEX_SECRETACCESSKEY: 'secret',
      YANDEX_REGION: 'ru-central1',
      YANDEX_DATASTREAMS_STREAMNAME: STREAM,
      YANDEX_DATASTREAMS_ENDPOINT: 'https://yds.example.net',
      YANDEX_DATASTREAMS_MINIMUMPRIORITY: 'error',
    });
    expect(config).toMatchObject({ yandex: { accesskeyid: 'id', secretaccesskey: 'secret', region: 'ru-central1', datastreams: { streamname: STREAM, endpoint: 'https://yds.example.net', minimumpriority: 'error' } } });
  });

  it('falcosidekick\'s defaults: endpoint yds.serverless.yandexcloud.net; on only with a stream name', () => {
    const empty = yds.schema.parse({});
    expect(empty).toEqual({ streamname: '', endpoint: 'https://yds.serverless.yandexcloud.net' });
    expect(yds.enabled(empty)).toBe(false);
    expect(yds.enabled(options())).toBe(true);
  });

  it.each([
    [{ YANDEX_DATASTREAMS_STREAMNAME: '/ru-central1/b1g folder/falco' }, 'yandex.datastreams.streamname', 'YANDEX_DATASTREAMS_STREAMNAME'],
    [{ YANDEX_DATASTREAMS_STREAMNAME: STREAM, YANDEX_DATASTREAMS_ENDPOINT: 'yds.serverless.yandexcloud.net' }, 'yandex.datastreams.endpoint', 'YANDEX_DATASTREAMS_ENDPOINT'],
  ])('a bad value is a startup problem naming the key and its env var: %o', (env, path, name) => {
    expect(() => load(env)).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ path, env: name })] }));
  });
});

describe('yandexdatastreams connect and send', () => {
  const receivers: Receiver[] = [];
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.stop();
  });

  it('without the static key: a connect error naming the keys to set', async () => {
    await expect(connect(options(), { secretaccesskey: 's' })).rejects.toThrow('yandexdatastreams: set yandex.accesskeyid and yandex.secretaccesskey (a static access key of a service account)');
  });

  it('one PutRecords to the endpoint: the stream path, each alert JSON keyed by its uuid, signed for ru-central1 with the static key', async () => {
    const receiver = await new Receiver().start();
    receivers.push(receiver);
    receiver.setBehaviour((req) => {
      const n = (JSON.parse(req.body) as { Records: unknown[] }).Records.length;
      return { kind: 'ok', body: JSON.stringify({ FailedRecordCount: 0, Records: Array.from({ length: n }, (_, i) => ({ SequenceNumber: String(i + 1), ShardId: 'shardId-000000000000' })) }) };
    });
    const o = options({ endpoint: receiver.url('') });
    const client = await connect(o, { ...keys, region: '' });
    const alerts = testAlerts(3);
    try {
      expect(await yds.sendBatch(alerts, sendContext(o, client))).toEqual({ kind: 'ok' });
    } finally {
      yds.close?.(client);
    }
    expect(receiver.received).toHaveLength(1);
    const [req] = receiver.received;
    expect([req?.method, req?.url, req?.headers['x-amz-target'], req?.headers['content-type']]).toEqual(['POST', '/', 'Kinesis_20131202.PutRecords', 'application/x-amz-json-1.1']);
    expect(req?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=YCAJE-key\/\d{8}\/ru-central1\/kinesis\/aws4_request, /);
    expect(JSON.parse(req?.body ?? '')).toEqual({
      StreamName: STREAM,
      Records: alerts.map((a) => ({ Data: Buffer.from(serializeAlert(a)).toString('base64'), PartitionKey: a.uuid })),
    });
  });

  it('the endpoint "" (falcosidekick\'s chart writes it) means yds.serverless.yandexcloud.net', async () => {
    const client = await connect(options({ endpoint: '' }), keys);
    try {
      const endpoint = await (client.client.config.endpoint as () => Promise<{ hostname: string; protocol: string }>)();
      expect([endpoint.protocol, endpoint.hostname, await client.client.config.region()]).toEqual(['https:', 'yds.serverless.yandexcloud.net', 'ru-central1']);
    } finally {
      yds.close?.(client);
    }
  });

  /** The client connect() builds, its Kinesis calls answered by `answer` (an Error is thrown). */
  async function answering(answer: () => unknown) {
    const client = await connect(options(), keys);
    client.client.destroy();
    const kinesis = {
      send: async () => {
        const result = answer();
        if (result instanceof Error) throw result;
        return result;
      },
    };
    return { ...client, kinesis } as typeof client;
  }

  it.each([
    ['ResourceNotFoundException', 400, { kind: 'retry', auth: true, reason: 'ResourceNotFoundException (HTTP 400): m (the stream does not exist: create it or fix yandex.datastreams.streamname)' }],
    ['UnrecognizedClientException', 400, { kind: 'retry', auth: true, reason: 'UnrecognizedClientException (HTTP 400): m (the static access key was refused: check yandex.accesskeyid and yandex.secretaccesskey)' }],
    ['AccessDeniedException', 400, { kind: 'retry', auth: true, reason: "AccessDeniedException (HTTP 400): m (the service account lacks the role for this call: grant it on the bucket's or stream's folder)" }],
    ['ProvisionedThroughputExceededException', 400, { kind: 'retry', afterMs: 1000, reason: 'throttled by Yandex Data Streams: ProvisionedThroughputExceededException: m' }],
    ['ValidationException', 400, { kind: 'fail', reason: 'Yandex Data Streams rejected the call: ValidationException (HTTP 400): m' }],
    ['InternalFailure', 500, { kind: 'retry', reason: 'InternalFailure (HTTP 500): m' }],
  ])('a call failed with %s (HTTP %i)', async (name, status, expected) => {
    const client = await answering(() => awsSdkError(name, status, 'm'));
    expect(await yds.sendBatch(testAlerts(1), sendContext(options(), client))).toEqual(expected);
  });

  it('each record settled by its own answer, named after Data Streams', async () => {
    const client = await answering(() => ({
      FailedRecordCount: 1,
      Records: [{ SequenceNumber: '1', ShardId: 's' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'try later' }],
    }));
    expect(await yds.sendBatch(testAlerts(2), sendContext(options(), client))).toEqual({
      kind: 'partial',
      items: [{ kind: 'ok' }, { kind: 'retry', reason: 'Yandex Data Streams failed the record: InternalFailure: try later' }],
    });
  });
});
