// falcosidekick's aws.securitylake: alerts as OCSF Security Findings (ocsf.ts) in Parquet objects
// (parquet.ts) written to the Security Lake custom source's bucket under
// <prefix>/region=/accountId=/eventDay=/ (objects.ts). One batch = one object per eventDay, sent
// when `batchsize` alerts wait or `interval` minutes after its first alert.
import type { S3Client } from '@aws-sdk/client-s3';
import { defineOutput, z } from '../../src/plugin/index.ts';
import { awsShared, connectAws } from '../../src/plugin/aws.ts';
import { putFindings, type LakeClient } from './put.ts';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;

/** falcosidekick's bounds of `interval` (minutes): a value outside is taken as the nearest bound. */
function intervalMs(minutes: number): number {
  return Math.min(60, Math.max(5, minutes)) * 60_000;
}

export default defineOutput({
  name: 'awssecuritylake',
  section: ['aws', 'securitylake'],
  shared: awsShared,
  description: 'Write alerts as OCSF Security Findings in Parquet objects to an Amazon Security Lake custom source.',
  schema: z.object({
    bucket: z.string().default('').describe('The Security Lake bucket (aws-security-data-lake-<region>-…). Setting it turns the output on; region, prefix and accountid are then required.'),
    region: z.string().default('').describe('Region of the Security Lake bucket, e.g. us-east-1: the region= partition of every key, and the S3 client\'s region when aws.region is empty.'),
    prefix: z.string().default('').describe('Key prefix: the custom source\'s location in the bucket, e.g. ext/falco. Objects go to <prefix>/region=<region>/accountId=<accountid>/eventDay=<YYYYMMDD>/<uuid of the first alert>-<digest of the alerts\' uuids>.parquet.'),
    accountid: z.string().default('').describe('The AWS account id (12 digits) of the custom source: the accountId= partition of every key.'),
    interval: z.number().int().default(5).describe('Minutes a partial batch may wait for more alerts before it is written (falcosidekick\'s 5 to 60; a value outside is taken as the nearest bound). Sets batch.flushms unless that is given.'),
    batchsize: z.number().int().min(1).default(1000).describe('Most alerts per Parquet object. Sets batch.maxevents unless that is given.'),
  }),
  example: { bucket: 'aws-security-data-lake-us-east-1-abc123', region: 'us-east-1', prefix: 'ext/falco', accountid: '123456789012' },
  enabled: (options) => options.bucket !== '',
  batch: { maxevents: 1000, maxbytes: 64_000_000, flushms: 300_000 },
  concurrency: 2,
  legacySettings: (options) => ({ batch: { maxevents: options.batchsize, flushms: intervalMs(options.interval) } }),
  validate(options) {
    const problems = [];
    if (!REGION.test(options.region)) problems.push({ path: 'region', message: 'must be the bucket\'s AWS region such as us-east-1 when bucket is set' });
    if (options.prefix.replace(/\//g, '') === '') problems.push({ path: 'prefix', message: 'is required when bucket is set: the custom source\'s location, e.g. ext/falco' });
    if (!ACCOUNT_ID.test(options.accountid)) problems.push({ path: 'accountid', message: 'must be the 12-digit AWS account id when bucket is set' });
    return problems;
  },
  async connect(options, ctx): Promise<LakeClient & { client: S3Client }> {
    const aws = await connectAws(ctx, { region: options.region });
    const { S3Client } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({ ...aws.client, ...(aws.shared.endpoint ? { forcePathStyle: true } : {}) } as NonNullable<ConstructorParameters<typeof S3Client>[0]>);
    return { client: s3, s3, bucket: options.bucket, prefix: options.prefix, region: options.region, accountid: options.accountid };
  },
  sendBatch(alerts, { client, signal }) {
    return putFindings(alerts, client, signal);
  },
  close(client) {
    client.client.destroy();
  },
});
