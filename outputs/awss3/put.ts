// One worker batch → PutObject calls (one gzipped NDJSON object per hour of alert time, objects.ts)
// → one outcome per alert. Shared by awss3 and by the S3-compatible stores that follow its layout
// (yandexs3): each passes its bucket, its service name and the hints that name its own keys.
import type { ObjectCannedACL, S3Client } from '@aws-sdk/client-s3';
import { ok, sendChunks, settle, type Alert, type Outcome, type SendResult } from '../../src/plugin/index.ts';
import { classifyAwsError } from '../../src/plugin/aws-errors.ts';
import { gzipText, planObjects, type ObjectPlan } from './objects.ts';

export interface S3Target {
  s3: Pick<S3Client, 'send'>;
  bucket: string;
  prefix: string;
  /** Canned ACL of each object; '' sends none. */
  acl: ObjectCannedACL | '';
  /** Send a CRC32 of each object (buckets with Object Lock require an integrity value). */
  checksum: boolean;
  /** Names the destination in reasons ("S3"). */
  service: string;
  /** Error name → what to fix, naming the output's own keys (classifyAwsError hints). */
  hints: Record<string, string>;
}

export async function putObjects(alerts: readonly Alert[], target: S3Target, signal: AbortSignal): Promise<SendResult> {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  const outcomes: Outcome[] = new Array<Outcome>(alerts.length);
  const plans = planObjects(alerts, target.prefix);
  // One object per call; sendChunks stops at throttling or refused credentials.
  const chunks = plans.map((plan) => plan.indexes.map((index) => ({ index, plan })));
  await sendChunks(
    chunks,
    outcomes,
    signal,
    async (chunk) => {
      const plan = (chunk[0] as { plan: ObjectPlan }).plan;
      await target.s3.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: plan.key,
          Body: await gzipText(plan.ndjson),
          ContentType: 'application/x-ndjson',
          ContentEncoding: 'gzip',
          ...(target.checksum ? { ChecksumAlgorithm: 'CRC32' as const } : {}),
          ...(target.acl ? { ACL: target.acl } : {}),
        }),
        { abortSignal: signal },
      );
      for (const { index } of chunk) outcomes[index] = ok();
    },
    (err) => classifyAwsError(err, target.service, target.hints).outcome,
  );
  return settle(outcomes);
}
