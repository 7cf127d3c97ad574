// What the Yandex Cloud outputs share: falcosidekick's `yandex:` section (a service account's static
// access key, the region) and the client settings of its S3- and Kinesis-compatible APIs (Object
// Storage for yandexs3, Data Streams for yandexdatastreams), built by the AWS SDK as falcosidekick
// does. Not an output: outputs/yandex*/ import it. No SDK package is loaded here.
import { z } from 'zod';
import { secret } from '../config/secret.ts';
import { awsSettings, type AwsConnect } from './aws.ts';
import type { SharedSection } from './types.ts';

/** falcosidekick's default region (config.go); the chart writes "" for it. */
const YANDEX_REGION = 'ru-central1';

const REGION = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a Yandex Cloud region such as ru-central1');

export const yandexShared = {
  path: ['yandex'],
  description: 'Static access key and region shared by the Yandex Cloud outputs under yandex: (s3, datastreams).',
  schema: z.object({
    accesskeyid: z.string().default('').describe('Key id of a static access key of a Yandex Cloud service account. Required by the yandex outputs.'),
    secretaccesskey: secret(z.string().default('').describe('Secret of that static access key.')),
    region: z.union([z.literal(''), REGION]).default(YANDEX_REGION).describe(`Region the requests are signed for. "" means ${YANDEX_REGION}.`),
  }),
} satisfies SharedSection;

type YandexShared = z.output<typeof yandexShared.schema>;

// Refused keys name the keys to fix (the generic AWS hints speak of IAM policies and role ARNs).
const KEY_HINT = 'the static access key was refused: check yandex.accesskeyid and yandex.secretaccesskey';
const ROLE_HINT = "the service account lacks the role for this call: grant it on the bucket's or stream's folder";
export const YANDEX_AUTH_HINTS: Readonly<Record<string, string>> = {
  InvalidAccessKeyId: KEY_HINT,
  UnrecognizedClientException: KEY_HINT,
  InvalidClientTokenId: KEY_HINT,
  SignatureDoesNotMatch: KEY_HINT,
  InvalidSignatureException: KEY_HINT,
  IncompleteSignature: KEY_HINT,
  MissingAuthenticationToken: KEY_HINT,
  AccessDenied: ROLE_HINT,
  AccessDeniedException: ROLE_HINT,
};

/** The region requests are signed for: yandex.region, "" = falcosidekick's default. */
function yandexRegion(shared: YandexShared): string {
  return shared.region || YANDEX_REGION;
}

/**
 * connect() of an output under `yandex:`: AWS SDK client settings for its endpoint, signed with the
 * static access key (falcosidekick uses nothing else: no default chain, no STS). Without the key the
 * output cannot send anything: the error says which keys to set, and the core retries connecting.
 */
export async function connectYandex(
  ctx: { shared: Readonly<Record<string, unknown>>; timeoutMs: number; concurrency: number; name: string },
  endpoint: string,
): Promise<AwsConnect['client']> {
  const shared = yandexShared.schema.parse(ctx.shared);
  if (shared.accesskeyid === '' || shared.secretaccesskey === '') {
    throw new Error(`${ctx.name}: set yandex.accesskeyid and yandex.secretaccesskey (a static access key of a service account)`);
  }
  const access = { region: yandexRegion(shared), accesskeyid: shared.accesskeyid, secretaccesskey: shared.secretaccesskey, rolearn: '', externalid: '', endpoint, stsendpoint: '' };
  return (await awsSettings(access, ctx, `peregrine-${ctx.name}`)).client;
}
