// The shared AWS credentials: static keys from the aws: section, and a role assumed with its
// external id through STS (a recording receiver stands in for STS and answers AssumeRole).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsSettings, regionIn } from '../../../src/plugin/aws.ts';
import { Receiver } from '../../support/receiver.ts';

const ASSUMED = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>
<AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-token</SessionToken>
<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/falco/s</Arn>
<AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`;

type Provider = () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;

describe('shared AWS credentials', () => {
  let sts: Receiver;
  beforeAll(async () => {
    sts = await new Receiver().start();
    sts.setBehaviour(() => ({ kind: 'ok', body: ASSUMED }));
  });
  afterAll(() => sts.stop());

  const access = { region: 'eu-west-1', accesskeyid: '', secretaccesskey: '', rolearn: '', externalid: '', endpoint: '', stsendpoint: '' };
  const limits = { timeoutMs: 2000, concurrency: 1 };

  it('uses aws.accesskeyid/secretaccesskey as static credentials, SDK retries off', async () => {
    const { client } = await awsSettings({ ...access, accesskeyid: 'AKIA1', secretaccesskey: 's1' }, limits, 'peregrine-test');
    expect(client).toMatchObject({ region: 'eu-west-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's1' } });
    expect((await awsSettings(access, limits, 'x')).client.credentials).toBeUndefined(); // the SDK default chain
  });

  it('assumes aws.rolearn with aws.externalid, signed with the static keys', async () => {
    const { client } = await awsSettings(
      { ...access, accesskeyid: 'AKIABASE', secretaccesskey: 'base', rolearn: 'arn:aws:iam::123456789012:role/falco', externalid: 'ext-42', stsendpoint: sts.url('') },
      limits,
      'peregrine-awssqs',
    );
    const credentials = await (client.credentials as Provider)();
    expect(credentials).toMatchObject({ accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 'role-token' });
    const call = sts.received.at(-1);
    const form = new URLSearchParams(call?.body ?? '');
    expect(Object.fromEntries(form)).toMatchObject({ Action: 'AssumeRole', RoleArn: 'arn:aws:iam::123456789012:role/falco', RoleSessionName: 'peregrine-awssqs', ExternalId: 'ext-42' });
    expect(call?.headers.authorization).toMatch(/Credential=AKIABASE\//);
  });

  it('finds the region in queue URLs and ARNs', () => {
    expect(regionIn('https://sqs.eu-central-1.amazonaws.com/123456789012/q')).toBe('eu-central-1');
    expect(regionIn('arn:aws:sns:us-west-2:123456789012:falco')).toBe('us-west-2');
    expect(regionIn('http://127.0.0.1:4566/000000000000/q')).toBe('');
  });
});
