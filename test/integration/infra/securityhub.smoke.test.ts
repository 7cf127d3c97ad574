// Smoke test of the Security Hub test server (moto): one valid ASFF finding in, read back out.
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProductArn, type SecurityHubInfra } from '../../infra/securityhub/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

describe.skipIf(infraSkipped('securityhub'))('infra: securityhub (moto)', () => {
  let hub: SecurityHubInfra;
  let client: SecurityHubClient;

  beforeAll(async () => {
    hub = await useInfra<SecurityHubInfra>('securityhub');
    client = new SecurityHubClient({
      endpoint: hub.endpoint,
      region: hub.region,
      credentials: { accessKeyId: hub.accessKeyId, secretAccessKey: hub.secretAccessKey },
      maxAttempts: 1,
    });
  });
  afterAll(() => client?.destroy());

  it('state file has the documented shape', () => {
    expect(hub).toEqual({
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      region: 'us-east-1',
      accountId: '123456789012',
      accessKeyId: 'testing',
      secretAccessKey: 'testing',
      log: expect.any(String),
    });
  });

  it('BatchImportFindings then GetFindings returns the finding', async () => {
    const now = new Date().toISOString();
    const id = `peregrine-smoke-${crypto.randomUUID()}`;
    const finding = {
      SchemaVersion: '2018-10-08',
      Id: id,
      ProductArn: defaultProductArn(hub),
      GeneratorId: 'falco/Terminal shell in container',
      AwsAccountId: hub.accountId,
      Types: ['TTPs/Execution/Terminal shell in container'],
      CreatedAt: now,
      UpdatedAt: now,
      Severity: { Label: 'LOW' as const },
      Title: 'Terminal shell in container',
      Description: 'A shell was spawned in a container (smoke test)',
      Resources: [{ Type: 'Other', Id: 'default/web-7d9' }],
    };

    const imported = await client.send(new BatchImportFindingsCommand({ Findings: [finding] }));
    expect(imported.FailedCount).toBe(0);
    expect(imported.SuccessCount).toBe(1);
    expect(imported.FailedFindings ?? []).toEqual([]);

    // moto ignores Filters and pages by 100, and other test files share this server: page through.
    const mine = [];
    let token: string | undefined;
    do {
      const got = await client.send(new GetFindingsCommand({ Filters: { Id: [{ Value: id, Comparison: 'EQUALS' }] }, MaxResults: 100, NextToken: token }));
      mine.push(...(got.Findings ?? []).filter((f) => f.Id === id));
      token = got.NextToken;
    } while (token);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      Id: id,
      ProductArn: finding.ProductArn,
      AwsAccountId: '123456789012',
      Title: finding.Title,
      Severity: { Label: 'LOW' },
      Resources: [{ Type: 'Other', Id: 'default/web-7d9' }],
    });
  });
});
