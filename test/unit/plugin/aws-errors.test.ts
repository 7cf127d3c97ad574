// The shared classification of thrown AWS SDK errors: the 4xx answers that mean "try again" are
// retried, not dead-lettered; an encrypted destination's unusable KMS key holds alerts as refused
// credentials do.
import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../../src/plugin/aws-errors.ts';
import { awsSdkError } from '../../support/alerts.ts';

describe('classifyAwsError', () => {
  it("S3's RequestTimeout (400), OperationAborted (409), IncompleteBody and BadDigest are transient; another 4xx the service names is not", () => {
    expect(classifyAwsError(awsSdkError('RequestTimeout', 400), 'S3').outcome).toMatchObject({ kind: 'retry' });
    expect(classifyAwsError(awsSdkError('OperationAborted', 409), 'S3').outcome).toMatchObject({ kind: 'retry' });
    // The body cut or damaged on the way: the same call goes through again.
    expect(classifyAwsError(awsSdkError('IncompleteBody', 400), 'S3').outcome).toMatchObject({ kind: 'retry' });
    expect(classifyAwsError(awsSdkError('BadDigest', 400), 'S3').outcome).toMatchObject({ kind: 'retry' });
    expect(classifyAwsError(awsSdkError('InvalidArgument', 400), 'S3').outcome).toMatchObject({ kind: 'fail', reason: expect.stringContaining('S3 rejected the call') });
  });

  it('KMS: throttling waits, and an unusable key (SQS or SNS names) holds the alerts with a hint', () => {
    expect(classifyAwsError(awsSdkError('KmsThrottled', 400), 'SQS')).toMatchObject({ throttled: true, outcome: { kind: 'retry', afterMs: 1000 } });
    for (const name of ['KmsDisabled', 'KmsAccessDenied', 'KMSDisabledException', 'KMSAccessDeniedException', 'KMSNotFoundException']) {
      expect(classifyAwsError(awsSdkError(name, 400), 'SNS').outcome).toMatchObject({ kind: 'retry', auth: true, reason: expect.stringContaining('KMS key') });
    }
    // S3 names its bucket key's failures KMS.<error>: the alerts wait for the key, not dead-lettered.
    for (const name of ['KMS.DisabledException', 'KMS.NotFoundException', 'KMS.KMSInvalidStateException']) {
      expect(classifyAwsError(awsSdkError(name, 400), 'S3').outcome).toMatchObject({ kind: 'retry', auth: true, reason: expect.stringContaining("the bucket's KMS key") });
    }
  });
});
