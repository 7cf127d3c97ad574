// The AWS side of connect(): the Security Hub client (SDK retries off), credentials from the SDK
// default chain or an assumed role, and the account id when the config leaves it empty.
// The AWS SDK (~70 MiB resident with STS and the credential providers) is loaded in connect(), so a
// deployment without this output never pays for it.
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { STSClient } from '@aws-sdk/client-sts';
import type { FindingTarget } from './finding.ts';

export interface AwsOptions {
  region: string;
  accountid: string;
  productarn: string;
  endpoint: string;
  stsendpoint: string;
  rolearn: string;
}

export interface AwsSetup {
  hub: SecurityHubClient;
  target: FindingTarget;
  sts?: STSClient;
}

/** `aws`, `aws-cn` or `aws-us-gov`, from the region name. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function defaultProductArn(partition: string, region: string, accountId: string): string {
  return `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

export async function createAws(options: AwsOptions, limits: { timeoutMs: number; concurrency: number }): Promise<AwsSetup> {
  const { SecurityHubClient } = await import('@aws-sdk/client-securityhub');
  const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
  const { fromTemporaryCredentials } = await import('@aws-sdk/credential-providers');
  const requestHandler = {
    requestTimeout: limits.timeoutMs,
    connectionTimeout: limits.timeoutMs,
    httpAgent: { keepAlive: true, maxSockets: limits.concurrency },
    httpsAgent: { keepAlive: true, maxSockets: limits.concurrency },
  };
  const stsConfig = { region: options.region, maxAttempts: 1, requestHandler, ...(options.stsendpoint ? { endpoint: options.stsendpoint } : {}) };
  // undefined = the SDK default chain (env, shared config/profile, IRSA web identity, ECS, IMDS).
  const credentials: ReturnType<typeof fromTemporaryCredentials> | undefined = options.rolearn
    ? fromTemporaryCredentials({ params: { RoleArn: options.rolearn, RoleSessionName: 'peregrine-awssecurityhub' }, clientConfig: stsConfig })
    : undefined;
  const hub = new SecurityHubClient({
    region: options.region,
    maxAttempts: 1,
    requestHandler,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  });
  // The SDK's logger middleware walks every finding through the schema's sensitive-data filter on
  // each call, even with its no-op logger: about half of this output's CPU (a Security-Hub-only run
  // went from 412 to 303 µs per alert without it). Our own logs say what happened to each batch.
  // client.test.ts fails if an SDK update renames it.
  hub.middlewareStack.remove('loggerMiddleware');
  const partition = partitionOf(options.region);
  let accountId = options.accountid;
  let sts: STSClient | undefined;
  if (accountId === '') {
    // BatchImportFindings only accepts findings whose AwsAccountId is the calling account: ask STS who that is.
    sts = new STSClient({ ...stsConfig, ...(credentials ? { credentials } : {}) });
    try {
      const who = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(limits.timeoutMs) });
      if (!who.Account) throw new Error('STS GetCallerIdentity returned no account');
      accountId = who.Account;
    } catch (err) {
      hub.destroy();
      sts.destroy();
      const e = err as Error;
      throw new Error(`awssecurityhub.accountid is empty and STS GetCallerIdentity failed (${e.name}: ${e.message}); set accountid or fix the AWS credentials`, { cause: err });
    }
  }
  const productArn = options.productarn || defaultProductArn(partition, options.region, accountId);
  return { hub, target: { accountId, region: options.region, partition, productArn }, ...(sts ? { sts } : {}) };
}
