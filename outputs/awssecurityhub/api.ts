// Security Hub's API as this output calls it: BatchImportFindings (POST /findings/import) and
// DescribeHub (GET /accounts), each a JSON request signed by the AWS SDK's own SigV4 signer
// (@smithy/signature-v4) with the SDK's credential providers, sent on an undici pool.
// Not the SDK's client: its send cost ~25 µs of CPU per finding where this costs ~16
// (bench/securityhub-send.ts), and loading it ~12 MiB more RSS (docs/performance.md).
// An error answer becomes an error shaped like the SDK's (name = the error type, $metadata,
// $fault, $response.headers), which the shared AWS classification (src/plugin/aws-errors.ts) reads.
import type { Pool } from 'undici';
import { createHttpPool, excerpt, jsonObject, sendHttp, type HttpResponse } from '../../src/plugin/index.ts';

export interface ImportResponse {
  FailedCount?: number;
  SuccessCount?: number;
  FailedFindings?: { Id?: string; ErrorCode?: string; ErrorMessage?: string }[];
}

export interface SecurityHubApi {
  /** BatchImportFindings with `body`, the JSON `{"Findings":[…]}`; throws a SecurityHubError on an error answer. */
  importFindings(body: string, signal: AbortSignal): Promise<ImportResponse>;
  /** DescribeHub: resolves when the hub answers, throws as importFindings does. */
  describeHub(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

interface Identity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Credentials as the AWS settings give them: static keys, a provider (an assumed role), or none (the SDK's default chain). */
export type Credentials = Identity | (() => Promise<Identity>) | undefined;

/** An error answer, in the shape of the SDK's service exceptions. */
export class SecurityHubError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number };
  readonly $response: { headers: Record<string, string | string[] | undefined> };

  constructor(type: string, message: string, res: Pick<HttpResponse, 'status' | 'headers'>) {
    super(message);
    this.name = type;
    this.$fault = res.status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: res.status };
    this.$response = { headers: res.headers };
  }
}

/**
 * The error of a non-2xx answer. Its type is the X-Amzn-Errortype header, else the body's `code` or
 * `__type`, cut to the bare name ("ns#Name:uri" → "Name"), as AWS's restJson1 protocol defines.
 */
export function errorOf(res: HttpResponse): SecurityHubError {
  const body = jsonObject<Record<string, unknown>>(res.text) ?? {};
  const header = res.headers['x-amzn-errortype'];
  const raw = [Array.isArray(header) ? header[0] : header, body.code, body.__type].find((v): v is string => typeof v === 'string' && v !== '') ?? '';
  const type = raw.split(':')[0]?.split('#').pop() || 'UnknownError';
  const message = [body.message, body.Message].find((v): v is string => typeof v === 'string') ?? (res.text.slice(0, 300) || `HTTP ${res.status}`);
  return new SecurityHubError(type, message, res);
}

/** Security Hub's endpoint for the region: its partition's DNS suffix, FIPS and dual-stack as AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT ask, as the SDK does. */
export async function endpointFor(region: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { partition } = await import('@aws-sdk/core/client');
  const p = partition(region);
  const fips = env.AWS_USE_FIPS_ENDPOINT === 'true';
  const dualStack = env.AWS_USE_DUALSTACK_ENDPOINT === 'true';
  return `https://securityhub${fips ? '-fips' : ''}.${region}.${dualStack ? p.dualStackDnsSuffix : p.dnsSuffix}`;
}

export async function createApi(options: { region: string; endpoint: string; credentials: Credentials; userAgent: string; timeoutMs: number; concurrency: number }): Promise<SecurityHubApi> {
  const [{ SignatureV4 }, { Sha256 }, { memoizeIdentityProvider, isIdentityExpired, doesIdentityRequireRefresh }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@smithy/core/checksum'),
    import('@smithy/core'),
  ]);
  // The default chain's STS calls (IRSA's web identity, a profile's role) go to the output's region,
  // as they would from the SDK's client.
  const base = options.credentials ?? (await import('@aws-sdk/credential-providers')).fromNodeProviderChain({ clientConfig: { region: options.region } });
  // Fetched once and again shortly before they expire, as the SDK's clients do.
  const credentials = typeof base === 'function' ? (memoizeIdentityProvider(base, isIdentityExpired, doesIdentityRequireRefresh) as () => Promise<Identity>) : base;
  const signer = new SignatureV4({ credentials, region: options.region, service: 'securityhub', sha256: Sha256 });
  const url = new URL(options.endpoint || (await endpointFor(options.region)));
  const pool: Pool = createHttpPool(url, { tls: { rejectUnauthorized: true }, connections: options.concurrency, timeoutMs: options.timeoutMs });
  const prefix = url.pathname.replace(/\/$/, '');

  async function call(method: 'GET' | 'POST', path: string, body: string | undefined, signal: AbortSignal): Promise<HttpResponse> {
    const headers: Record<string, string> = { host: url.host, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const signed = await signer.sign({ method, protocol: url.protocol, hostname: url.hostname, ...(url.port ? { port: Number(url.port) } : {}), path: prefix + path, query: {}, headers, ...(body === undefined ? {} : { body }) });
    // The user agent is not signed (SigV4 leaves it out), so it is added after.
    const res = await sendHttp(pool, { path: prefix + path, method, headers: { ...signed.headers, 'user-agent': options.userAgent }, ...(body === undefined ? {} : { body }), signal });
    if (res.status < 200 || res.status >= 300) throw errorOf(res);
    return res;
  }

  return {
    async importFindings(body, signal) {
      const res = await call('POST', '/findings/import', body, signal);
      const answer = jsonObject<ImportResponse>(res.text);
      // Sent again: which findings it took cannot be told.
      if (!answer) throw new Error(`Security Hub answered HTTP ${res.status} with a body that is not a JSON object: ${excerpt(res.text)}`);
      return answer;
    },
    async describeHub(signal) {
      await call('GET', '/accounts', undefined, signal);
    },
    close: () => pool.close(),
  };
}
