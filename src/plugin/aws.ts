// What every AWS output shares: falcosidekick's `aws:` section (credentials, region, role) and one
// way to turn it into SDK client settings (SDK retries off, the output's timeout and concurrency,
// static keys or the default chain, an assumed role with its external id, the identity check).
// Not an output: the AWS outputs (outputs/aws*/) import it. The SDK packages are loaded inside
// these functions, i.e. in connect(), so a deployment without AWS outputs never loads them.
import { z } from 'zod';
import { secret } from '../config/secret.ts';
import { agentProxyEnv } from './proxy.ts';
import { trustSystemCas } from './tls.ts';
import type { SharedSection } from './types.ts';

const or = <T extends z.ZodType>(schema: T) => z.union([z.literal(''), schema]).default('');
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://localhost:4566' });

const REGION = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as us-east-1');
const ROLE_ARN = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/falco');

export const awsShared = {
  path: ['aws'],
  description: 'Credentials and region shared by the AWS outputs under aws: (sqs, sns, s3, cloudwatchlogs, kinesis, lambda); awssecurityhub falls back to them.',
  schema: z.object({
    accesskeyid: z.string().default('').describe('AWS access key id. Empty: the SDK default chain (env AWS_ACCESS_KEY_ID, profile, IRSA, ECS, instance role).'),
    secretaccesskey: secret(z.string().default('').describe('AWS secret access key, used with accesskeyid.')),
    region: or(REGION).describe('AWS region, e.g. us-east-1. Empty: from the queue URL or topic ARN when it names one, else the SDK default (AWS_DEFAULT_REGION, profile).'),
    rolearn: or(ROLE_ARN).describe('IAM role to assume (STS AssumeRole) with the credentials above. Empty: use them directly.'),
    externalid: z.string().default('').describe('External id passed with rolearn (STS AssumeRole ExternalId), when the role\'s trust policy requires one.'),
    checkidentity: z.boolean().default(true).describe('Call STS GetCallerIdentity when an AWS output connects: bad credentials fail at start with a clear message instead of on every send.'),
    endpoint: or(url).describe('One endpoint URL for every AWS service (LocalStack, moto, a proxy), STS included. Empty: each service\'s AWS endpoint. aws.s3.endpoint wins for S3.'),
  }),
} satisfies SharedSection;

export type AwsShared = z.output<typeof awsShared.schema>;

interface AwsClientSettings {
  region?: string;
  maxAttempts: 1;
  requestHandler: Record<string, unknown>;
  credentials?: unknown;
  endpoint?: string;
}

export interface AwsConnect {
  /** Settings for any `new XxxClient(...)`: region, credentials, no SDK retries, timeouts. */
  client: AwsClientSettings;
  /** The same for STS (its own endpoint, the base credentials). */
  sts: AwsClientSettings;
}

export interface AwsAccess {
  region: string;
  accesskeyid: string;
  secretaccesskey: string;
  rolearn: string;
  externalid: string;
  /** Endpoint of the output's service ('' = AWS). */
  endpoint: string;
  /** Endpoint of STS ('' = AWS). */
  stsendpoint: string;
}

/** The shared section as the AWS outputs read it (ctx.shared typed). */
export function sharedAws(shared: Readonly<Record<string, unknown>>): AwsShared {
  return awsShared.schema.parse(shared);
}

/**
 * SDK client settings for one output. Credentials: the static keys when both are set, else the
 * SDK default chain; with a role, those are the base credentials of an STS AssumeRole (with the
 * external id) that the SDK refreshes before expiry. `session` names the role session.
 */
export async function awsSettings(access: AwsAccess, limits: { timeoutMs: number; concurrency: number }, session: string): Promise<AwsConnect> {
  // The system's CAs and the environment's proxy, as the Go SDK in falcosidekick uses them.
  trustSystemCas();
  const proxyEnv = agentProxyEnv();
  const requestHandler = {
    requestTimeout: limits.timeoutMs,
    connectionTimeout: limits.timeoutMs,
    httpAgent: { keepAlive: true, maxSockets: limits.concurrency, ...(proxyEnv ? { proxyEnv } : {}) },
    httpsAgent: { keepAlive: true, maxSockets: limits.concurrency, ...(proxyEnv ? { proxyEnv } : {}) },
  };
  const base = { maxAttempts: 1 as const, requestHandler, ...(access.region ? { region: access.region } : {}) };
  const keys = access.accesskeyid && access.secretaccesskey ? { accessKeyId: access.accesskeyid, secretAccessKey: access.secretaccesskey } : undefined;
  const sts: AwsClientSettings = { ...base, ...(access.stsendpoint ? { endpoint: access.stsendpoint } : {}), ...(keys ? { credentials: keys } : {}) };
  let credentials: unknown = keys;
  if (access.rolearn) {
    const { fromTemporaryCredentials } = await import('@aws-sdk/credential-providers');
    credentials = fromTemporaryCredentials({
      params: { RoleArn: access.rolearn, RoleSessionName: session, ...(access.externalid ? { ExternalId: access.externalid } : {}) },
      ...(keys ? { masterCredentials: keys } : {}),
      clientConfig: { ...base, ...(access.stsendpoint ? { endpoint: access.stsendpoint } : {}) },
    });
  }
  const client: AwsClientSettings = { ...base, ...(access.endpoint ? { endpoint: access.endpoint } : {}), ...(credentials ? { credentials } : {}) };
  return { client, sts };
}

/** The access settings of an output under `aws:` from the shared section and the output's own endpoint. */
function accessOf(shared: AwsShared, options: { region?: string; endpoint?: string }): AwsAccess {
  return {
    region: shared.region || options.region || '',
    accesskeyid: shared.accesskeyid,
    secretaccesskey: shared.secretaccesskey,
    rolearn: shared.rolearn,
    externalid: shared.externalid,
    endpoint: options.endpoint || shared.endpoint,
    stsendpoint: shared.endpoint,
  };
}

/**
 * STS GetCallerIdentity with the output's own credentials (the assumed role when there is one):
 * falcosidekick's aws.checkidentity. Returns the account id; throws an error that says what to fix.
 */
export async function callerIdentity(settings: AwsConnect, timeoutMs: number, what: string): Promise<string> {
  const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
  const credentials = settings.client.credentials ?? settings.sts.credentials;
  const sts = new STSClient({ ...settings.sts, ...(credentials ? { credentials } : {}) } as NonNullable<ConstructorParameters<typeof STSClient>[0]>);
  try {
    const who = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(timeoutMs) });
    if (!who.Account) throw new Error('STS GetCallerIdentity returned no account');
    return who.Account;
  } catch (err) {
    const e = err as Error;
    throw new Error(`${what}: STS GetCallerIdentity failed (${e.name}: ${e.message}); fix the AWS credentials (aws.accesskeyid/secretaccesskey, rolearn, or the default chain)`, { cause: err });
  } finally {
    sts.destroy();
  }
}

/** The region an AWS URL or ARN names: sqs.eu-west-1.amazonaws.com, arn:aws:sns:eu-west-1:…; '' when none. */
export function regionIn(text: string): string {
  const arn = /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d+):/.exec(text);
  if (arn) return arn[1] as string;
  const host = /^https?:\/\/[a-z0-9-]+\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com/.exec(text);
  return host ? (host[1] as string) : '';
}

/**
 * connect() of an output under `aws:`: client settings from the shared section (`ctx.shared`) and
 * the output's region/endpoint, then falcosidekick's identity check when aws.checkidentity is on.
 */
export async function connectAws(
  ctx: { shared: Readonly<Record<string, unknown>>; timeoutMs: number; concurrency: number; name: string },
  own: { region?: string; endpoint?: string } = {},
): Promise<AwsConnect & { shared: AwsShared }> {
  const shared = sharedAws(ctx.shared);
  const settings = await awsSettings(accessOf(shared, own), ctx, `peregrine-${ctx.name}`);
  if (shared.checkidentity) await callerIdentity(settings, ctx.timeoutMs, `${ctx.name}: aws.checkidentity is on and`);
  return { ...settings, shared };
}
