// The AWS side of connect(): the Security Hub client, with credentials and role from the shared
// AWS module (src/plugin/aws.ts: this output's own rolearn, else the aws: section's keys, role and
// external id, else the SDK default chain), and the account id when the config leaves it empty.
// The AWS SDK (~70 MiB resident with STS and the credential providers) is loaded in connect(), so a
// deployment without this output never pays for it.
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { awsSettings, callerIdentity, type AwsShared } from '../../src/plugin/aws.ts';
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
}

const NO_SHARED: Pick<AwsShared, 'accesskeyid' | 'secretaccesskey' | 'rolearn' | 'externalid'> = { accesskeyid: '', secretaccesskey: '', rolearn: '', externalid: '' };

/** `aws`, `aws-cn` or `aws-us-gov`, from the region name. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function defaultProductArn(partition: string, region: string, accountId: string): string {
  return `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

export async function createAws(
  options: AwsOptions,
  limits: { timeoutMs: number; concurrency: number },
  shared: Pick<AwsShared, 'accesskeyid' | 'secretaccesskey' | 'rolearn' | 'externalid'> = NO_SHARED,
): Promise<AwsSetup> {
  const { SecurityHubClient } = await import('@aws-sdk/client-securityhub');
  // The output's own rolearn wins; the shared aws.externalid belongs to aws.rolearn only.
  const role = options.rolearn ? { rolearn: options.rolearn, externalid: '' } : { rolearn: shared.rolearn, externalid: shared.externalid };
  const settings = await awsSettings(
    { region: options.region, accesskeyid: shared.accesskeyid, secretaccesskey: shared.secretaccesskey, ...role, endpoint: options.endpoint, stsendpoint: options.stsendpoint },
    limits,
    'peregrine-awssecurityhub',
  );
  const hub = new SecurityHubClient(settings.client as NonNullable<ConstructorParameters<typeof SecurityHubClient>[0]>);
  // The SDK's logger middleware walks every finding through the schema's sensitive-data filter on
  // each call, even with its no-op logger: about half of this output's CPU (a Security-Hub-only run
  // went from 412 to 303 µs per alert without it). Our own logs say what happened to each batch.
  // client.test.ts fails if an SDK update renames it.
  hub.middlewareStack.remove('loggerMiddleware');
  const partition = partitionOf(options.region);
  let accountId = options.accountid;
  if (accountId === '') {
    // BatchImportFindings only accepts findings whose AwsAccountId is the calling account: ask STS who that is.
    try {
      accountId = await callerIdentity(settings, limits.timeoutMs, 'awssecurityhub.accountid is empty');
    } catch (err) {
      hub.destroy();
      throw new Error(`${(err as Error).message}; or set accountid`, { cause: err });
    }
  }
  const productArn = options.productarn || defaultProductArn(partition, options.region, accountId);
  return { hub, target: { accountId, region: options.region, partition, productArn } };
}
