// AWS Security Hub: each alert becomes an ASFF finding imported with BatchImportFindings. The
// finding Id comes from the alert uuid, so a re-sent alert updates its finding instead of adding
// one. falcosidekick never shipped this output; the keys follow its AWS outputs' spelling.
import { defineOutput, z } from '../../src/plugin/index.ts';
import { classifyError } from './classify.ts';
import { createAws, type AwsSetup } from './client.ts';
import { awsShared, sharedAws } from '../../src/plugin/aws.ts';
import { sharedBucket, type TokenBucket } from './rate-limit.ts';
import { sendFindings } from './send.ts';

const or = <T extends z.ZodType>(schema: T) => z.union([z.literal(''), schema]).default('');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://securityhub.us-east-1.amazonaws.com' });

type Client = AwsSetup & { bucket: TokenBucket };

export default defineOutput({
  name: 'awssecurityhub',
  description: 'Import each alert into AWS Security Hub as an ASFF finding (BatchImportFindings).',
  shared: awsShared,
  schema: z.object({
    region: or(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as us-east-1')).describe(
      'AWS region of the Security Hub to import into, e.g. us-east-1. Setting it turns the output on.',
    ),
    accountid: or(z.string().regex(/^\d{12}$/, 'must be the 12-digit AWS account id')).describe(
      'AWS account id that owns the findings; it must be the calling account. Empty: asked from STS GetCallerIdentity at start.',
    ),
    productarn: or(z.string().regex(/^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{12}:product\/.+$/, 'must be a Security Hub product ARN')).describe(
      'Product ARN of the findings. Empty: arn:aws:securityhub:<region>:<accountid>:product/<accountid>/default.',
    ),
    endpoint: or(httpUrl).describe('Security Hub endpoint URL (VPC endpoint, or a test server). Empty: the AWS endpoint of the region.'),
    stsendpoint: or(httpUrl).describe('STS endpoint URL, used for rolearn and for the accountid lookup. Empty: the AWS endpoint of the region.'),
    rolearn: or(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/falco')).describe(
      'IAM role to assume (STS AssumeRole). Empty: aws.rolearn (with aws.externalid), else no role. The base credentials are aws.accesskeyid/secretaccesskey when set, else the default chain (env, profile, IRSA, instance role).',
    ),
    maxcallspersecond: z
      .number()
      .positive()
      .max(1000)
      .default(10)
      .describe('BatchImportFindings calls per second for this account and region (the Security Hub quota is 10).'),
    burstcalls: z.number().int().min(1).max(1000).default(30).describe('Calls allowed in a burst above maxcallspersecond (the Security Hub quota is 30).'),
  }),
  example: { region: 'us-east-1', accountid: '123456789012' },
  enabled: (options) => options.region !== '',
  batch: { maxevents: 100, maxbytes: 4_000_000, flushms: 1000 },
  concurrency: 4,
  async connect(options, ctx): Promise<Client> {
    const aws = await createAws(options, { timeoutMs: ctx.timeoutMs, concurrency: ctx.concurrency }, sharedAws(ctx.shared));
    const key = `${aws.target.accountId}/${options.region}/${options.endpoint || 'aws'}`;
    return { ...aws, bucket: sharedBucket(key, options.maxcallspersecond, options.burstcalls) };
  },
  async healthcheck({ client, signal }) {
    // DescribeHub: cheap, needs working credentials and an enabled hub in this account and region.
    try {
      const { DescribeHubCommand } = await import('@aws-sdk/client-securityhub');
      await client.hub.send(new DescribeHubCommand({}), { abortSignal: signal });
      return { ok: true };
    } catch (err) {
      const { outcome } = classifyError(err);
      const reason = outcome.kind === 'ok' ? 'unknown error' : outcome.reason;
      return { ok: false, message: `DescribeHub in account ${client.target.accountId}, region ${client.target.region} failed: ${reason}` };
    }
  },
  sendBatch(alerts, { client, signal }) {
    return sendFindings(alerts, client, signal);
  },
  close(client) {
    client.hub.destroy();
  },
});
