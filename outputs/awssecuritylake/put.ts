// One worker batch → Parquet objects in the Security Lake bucket (one per eventDay, objects.ts),
// one PutObject each → one outcome per alert. An object that cannot be encoded is dead-lettered;
// S3's answers are classified as for aws.s3 (src/plugin/aws-errors.ts), with this output's hints.
import type { S3Client } from '@aws-sdk/client-s3';
import { blameWholeCall, fail, ok, sendChunks, settle, type Alert, type Outcome, type SendResult } from '../../src/plugin/index.ts';
import { classifyAwsError } from '../../src/plugin/aws-errors.ts';
import { planObjects, type LakeTarget, type ObjectPlan } from './objects.ts';
import { ocsfFinding } from './ocsf.ts';
import { findingsParquet } from './parquet.ts';

const CONTENT_TYPE = 'application/vnd.apache.parquet';

const WRONG_REGION = "the bucket is in another region than the client's: set aws.region (or aws.securitylake.region) to the bucket's region";
/** Mistakes of the config: retried with the output failing, so the alerts wait for the fix. */
const HINTS: Record<string, string> = {
  NoSuchBucket: 'the bucket does not exist: fix aws.securitylake.bucket (the Security Lake bucket, aws-security-data-lake-<region>-…)',
  PermanentRedirect: WRONG_REGION,
  AuthorizationHeaderMalformed: WRONG_REGION,
};

export interface LakeClient extends LakeTarget {
  s3: Pick<S3Client, 'send'>;
  bucket: string;
}

class EncodeError extends Error {}

export async function putFindings(alerts: readonly Alert[], lake: LakeClient, signal: AbortSignal): Promise<SendResult> {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  const outcomes: Outcome[] = new Array<Outcome>(alerts.length);
  const chunks = planObjects(alerts, lake).map((plan) => plan.indexes.map((index) => ({ index, plan })));
  await sendChunks(
    chunks,
    outcomes,
    signal,
    async (chunk) => {
      const plan = (chunk[0] as { plan: ObjectPlan }).plan;
      let body: Uint8Array;
      try {
        body = await findingsParquet(plan.indexes.map((i) => ocsfFinding(alerts[i] as Alert)));
      } catch (err) {
        throw new EncodeError((err as Error).message);
      }
      await lake.s3.send(
        new PutObjectCommand({ Bucket: lake.bucket, Key: plan.key, Body: body, ContentType: CONTENT_TYPE, ACL: 'bucket-owner-full-control', ChecksumAlgorithm: 'CRC32' }),
        { abortSignal: signal },
      );
      for (const { index } of chunk) outcomes[index] = ok();
    },
    // An object refused is its alerts' together: the core sends them again in halves to find the one at fault.
    (err, chunk) => blameWholeCall(err instanceof EncodeError ? fail(`cannot encode the Parquet object: ${err.message}`) : classifyAwsError(err, 'S3', HINTS).outcome, chunk.length),
  );
  return settle(outcomes);
}
