// falcosidekick's aws.s3, batched: falcosidekick writes one JSON object per alert
// (<prefix>/<YYYY-MM-DD>/<RFC3339 send time>.json); Peregrine writes one gzipped NDJSON object per
// batch and hour, in Athena/Glue partitions dated by the alert's own time (docs/outputs/awss3.md).
import type { S3Client } from '@aws-sdk/client-s3';
import { defineOutput, z } from '../../src/plugin/index.ts';
import { awsShared, connectAws } from '../../src/plugin/aws.ts';
import { putObjects } from './put.ts';

const CANNED_ACLS = ['', 'private', 'public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read', 'bucket-owner-read', 'bucket-owner-full-control'] as const;
const endpointUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://minio.example.com:9000' });

// A missing bucket is a configuration problem, not the alerts' fault: they wait (output "failing").
const WRONG_REGION = "the bucket is in another region than the client's: set aws.region to the bucket's region";
// Mistakes of the config: each is retried with the output failing (as refused credentials are), so the
// alerts wait for the fix instead of being dead-lettered one by one or retried without a word.
const HINTS = { NoSuchBucket: 'the bucket does not exist: create it or fix aws.s3.bucket', PermanentRedirect: WRONG_REGION, AuthorizationHeaderMalformed: WRONG_REGION };

interface Client {
  s3: S3Client;
}

export default defineOutput({
  name: 'awss3',
  section: ['aws', 's3'],
  shared: awsShared,
  description: 'Write alerts to an S3 bucket as gzipped NDJSON objects, partitioned by alert time (year=/month=/day=/hour=).',
  schema: z.object({
    bucket: z.string().default('').describe('Bucket name. Setting it turns the output on.'),
    prefix: z.string().default('falco').describe('Key prefix; objects go to <prefix>/year=YYYY/month=MM/day=DD/hour=HH/<first-uuid>-<count>.ndjson.gz.'),
    endpoint: z.union([z.literal(''), endpointUrl]).default('').describe('Endpoint of an S3-compatible store (MinIO, Ceph…), addressed path-style. Empty: aws.endpoint, else AWS S3.'),
    objectcannedacl: z.enum(CANNED_ACLS).default('bucket-owner-full-control').describe('Canned ACL of each object; "" sends none (buckets with ACLs disabled accept only bucket-owner-full-control or none).'),
  }),
  example: { bucket: 'falco-alerts' },
  enabled: (options) => options.bucket !== '',
  // Fewer, bigger objects are cheaper to store and to query; alerts wait at most flushms.
  batch: { maxevents: 5000, maxbytes: 16_000_000, flushms: 5000 },
  concurrency: 4,
  async connect(options, ctx): Promise<Client> {
    const aws = await connectAws(ctx, { endpoint: options.endpoint });
    const { S3Client } = await import('@aws-sdk/client-s3');
    const endpoint = options.endpoint || aws.shared.endpoint;
    const s3 = new S3Client({ ...aws.client, ...(endpoint ? { forcePathStyle: true } : {}) } as NonNullable<ConstructorParameters<typeof S3Client>[0]>);
    return { s3 };
  },
  // Object Lock buckets refuse PutObject without an integrity value (as falcosidekick 2.34): checksum.
  sendBatch(alerts, { client, options, signal }) {
    return putObjects(alerts, { s3: client.s3, bucket: options.bucket, prefix: options.prefix, acl: options.objectcannedacl, checksum: true, service: 'S3', hints: HINTS }, signal);
  },
  close(client) {
    client.s3.destroy();
  },
});
