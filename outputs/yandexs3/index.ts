// falcosidekick's yandex.s3: Yandex Object Storage is S3-compatible, so this is awss3's writer
// (outputs/awss3/put.ts: one gzipped NDJSON object per batch and hour of alert time) pointed at
// Yandex's endpoint, path-style, signed with the yandex: section's static key. falcosidekick writes
// one JSON object per alert instead (docs/outputs/yandexs3.md).
import type { S3Client } from '@aws-sdk/client-s3';
import { defineOutput, z } from '../../src/plugin/index.ts';
import { connectYandex, YANDEX_AUTH_HINTS, yandexShared } from '../../src/plugin/yandex.ts';
import { putObjects } from '../awss3/put.ts';

/** falcosidekick's default endpoint (config.go); the chart writes "" for it. */
const YANDEX_S3_ENDPOINT = 'https://storage.yandexcloud.net';
const endpointUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://storage.yandexcloud.net' });

const WRONG_REGION = "the request was signed for another region than the bucket's: set yandex.region to the bucket's region";
// Mistakes of the config: retried with the output failing, so the alerts wait for the fix.
const HINTS = {
  ...YANDEX_AUTH_HINTS,
  NoSuchBucket: 'the bucket does not exist: create it or fix yandex.s3.bucket',
  PermanentRedirect: WRONG_REGION,
  AuthorizationHeaderMalformed: WRONG_REGION,
};

interface Client {
  s3: S3Client;
}

export default defineOutput({
  name: 'yandexs3',
  section: ['yandex', 's3'],
  shared: yandexShared,
  description: 'Write alerts to a Yandex Object Storage bucket as gzipped NDJSON objects, partitioned by alert time (year=/month=/day=/hour=).',
  schema: z.object({
    bucket: z.string().default('').describe('Bucket name. Setting it turns the output on.'),
    prefix: z.string().default('falco').describe('Key prefix; objects go to <prefix>/year=YYYY/month=MM/day=DD/hour=HH/<first-uuid>-<count>.ndjson.gz. "" writes no prefix.'),
    endpoint: z.union([z.literal(''), endpointUrl]).default(YANDEX_S3_ENDPOINT).describe(`Object Storage endpoint, addressed path-style. "" means ${YANDEX_S3_ENDPOINT}.`),
  }),
  example: { bucket: 'falco-alerts' },
  enabled: (options) => options.bucket !== '',
  // As awss3: fewer, bigger objects are cheaper to store and to query; alerts wait at most flushms.
  batch: { maxevents: 5000, maxbytes: 16_000_000, flushms: 5000 },
  concurrency: 4,
  async connect(options, ctx): Promise<Client> {
    const settings = await connectYandex(ctx, options.endpoint || YANDEX_S3_ENDPOINT);
    const { S3Client } = await import('@aws-sdk/client-s3');
    // No checksum headers unless an operation requires one (PutObject does not), as falcosidekick
    // sends it: S3-compatible stores have refused the SDK's default x-amz-checksum-crc32.
    const s3 = new S3Client({ ...settings, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' } as NonNullable<ConstructorParameters<typeof S3Client>[0]>);
    return { s3 };
  },
  sendBatch(alerts, { client, options, signal }) {
    return putObjects(alerts, { s3: client.s3, bucket: options.bucket, prefix: options.prefix, acl: '', checksum: false, service: 'Yandex Object Storage', hints: HINTS }, signal);
  },
  close(client) {
    client.s3.destroy();
  },
});
