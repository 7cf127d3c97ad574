// Security Hub's API as connect() builds it: endpoints, credentials, signatures, error answers.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { classifyError } from './classify.ts';
import { createAws } from './client.ts';
import { endpointFor, errorOf } from './api.ts';

const limits = { timeoutMs: 1_000, concurrency: 1, userAgent: 'peregrine-test' };
const options = { region: 'eu-west-1', accountid: '123456789012', productarn: '', stsendpoint: '', rolearn: '' };

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A server that records each request and answers with `answer`. */
async function server(answer: (req: Seen) => { status: number; headers?: Record<string, string>; body: string }) {
  const seen: Seen[] = [];
  const s = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(r);
      const a = answer(r);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { seen, endpoint: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, close: () => s.close() };
}

/**
 * Signs the request as received, with the headers it says it signed, at the time it says: the
 * signature must come out the same. The body's hash is computed again from the body received, not
 * taken from its x-amz-content-sha256 header (the signer would trust the header).
 */
async function expectValidSignature(r: Seen, secretAccessKey: string): Promise<void> {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(String(r.headers.authorization));
  expect(auth).not.toBeNull();
  const [, accessKeyId, region, service, signedHeaders] = auth as unknown as string[];
  const names = (signedHeaders as string).split(';');
  expect(names).toEqual(expect.arrayContaining(['host', 'x-amz-date']));
  expect(names).toContain('x-amz-content-sha256');
  const headers = Object.fromEntries(names.filter((n) => n !== 'x-amz-content-sha256').map((n) => [n, String(r.headers[n])]));
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(r.headers['x-amz-date'])) as RegExpExecArray;
  const signingDate = new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!));
  const [hostname, port] = String(r.headers.host).split(':');
  const signer = new SignatureV4({ credentials: { accessKeyId: accessKeyId as string, secretAccessKey }, region: region as string, service: service as string, sha256: Sha256 });
  const again = await signer.sign({ method: r.method, protocol: 'http:', hostname: hostname as string, port: Number(port), path: r.url, query: {}, headers, ...(r.body ? { body: r.body } : {}) }, { signingDate });
  expect(again.headers.authorization).toBe(r.headers.authorization);
}

describe('Security Hub API', () => {
  it('signs BatchImportFindings with the static keys: the signature checks out against the body received', async () => {
    const s = await server(() => ({ status: 200, body: '{"FailedCount":0,"SuccessCount":1,"FailedFindings":[]}' }));
    const { api, target } = await createAws({ ...options, endpoint: s.endpoint }, limits, { accesskeyid: 'AKIASHARED', secretaccesskey: 'shh', rolearn: '', externalid: '' });
    try {
      const body = '{"Findings":[{"Id":"falco/1","Title":"€ and ✓"}]}';
      expect(await api.importFindings(body, new AbortController().signal)).toEqual({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
      const [r] = s.seen as [Seen];
      expect([r.method, r.url, r.body]).toEqual(['POST', '/findings/import', body]);
      expect(r.headers['content-type']).toBe('application/json');
      expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(body));
      expect(r.headers['user-agent']).toBe('peregrine-test');
      expect(r.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIASHARED\/\d{8}\/eu-west-1\/securityhub\/aws4_request, /);
      await expectValidSignature(r, 'shh');
      expect(target).toEqual({ accountId: '123456789012', region: 'eu-west-1', partition: 'aws', productArn: 'arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default' });
    } finally {
      await api.close();
      s.close();
    }
  });

  it('signs DescribeHub (GET /accounts) under an endpoint with a path, and takes the default chain when no keys are set', async () => {
    const s = await server(() => ({ status: 200, body: '{"HubArn":"arn:aws:securityhub:eu-west-1:123456789012:hub/default"}' }));
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAFROMENV', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_SESSION_TOKEN: 'token-1', AWS_EC2_METADATA_DISABLED: 'true' });
    const { api } = await createAws({ ...options, endpoint: `${s.endpoint}/proxy/` }, limits);
    try {
      await api.describeHub(new AbortController().signal);
      const [r] = s.seen as [Seen];
      expect([r.method, r.url, r.body]).toEqual(['GET', '/proxy/accounts', '']);
      expect(r.headers['x-amz-security-token']).toBe('token-1');
      expect(r.headers.authorization).toMatch(/Credential=AKIAFROMENV\//);
      await expectValidSignature(r, 'env-secret');
    } finally {
      process.env = saved;
      await api.close();
      s.close();
    }
  });

  it('turns error answers into errors the AWS classification reads, and refuses a 200 that is not JSON', async () => {
    let answer = { status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/' }, body: '{"message":"User is not authorized"}' };
    const s = await server(() => answer);
    const { api } = await createAws({ ...options, endpoint: s.endpoint }, limits, { accesskeyid: 'AKIA', secretaccesskey: 'x', rolearn: '', externalid: '' });
    const signal = new AbortController().signal;
    try {
      const denied = await api.importFindings('{"Findings":[]}', signal).catch((err: unknown) => err);
      expect(denied).toMatchObject({ name: 'AccessDeniedException', message: 'User is not authorized', $fault: 'client', $metadata: { httpStatusCode: 403 } });
      expect(classifyError(denied).outcome).toMatchObject({ kind: 'retry', auth: true });
      answer = { status: 429, headers: { 'retry-after': '2' } as never, body: '{"__type":"com.amazonaws.securityhub#TooManyRequestsException","Message":"Rate exceeded"}' };
      const throttled = await api.importFindings('{"Findings":[]}', signal).catch((err: unknown) => err);
      expect(throttled).toMatchObject({ name: 'TooManyRequestsException', message: 'Rate exceeded' });
      expect(classifyError(throttled)).toMatchObject({ throttled: true, outcome: { kind: 'retry', afterMs: 2000 } });
      answer = { status: 200, headers: {} as never, body: 'upstream proxy page' };
      const garbled = await api.importFindings('{"Findings":[]}', signal).catch((err: unknown) => err);
      expect(classifyError(garbled).outcome).toMatchObject({ kind: 'retry', reason: expect.stringContaining('not a JSON object: upstream proxy page') });
    } finally {
      await api.close();
      s.close();
    }
  });

  it('names the error type as restJson1 does: the header, else the body code or __type, bare', () => {
    const res = (status: number, body: string, headers: Record<string, string> = {}) => errorOf({ status, headers, text: body });
    expect(res(400, '{"code":"InvalidInputException","message":"bad"}')).toMatchObject({ name: 'InvalidInputException', message: 'bad', $fault: 'client' });
    expect(res(500, '{"__type":"aws.securityhub#InternalException:http://x"}')).toMatchObject({ name: 'InternalException', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    expect(res(502, '<html>Bad Gateway</html>')).toMatchObject({ name: 'UnknownError', message: '<html>Bad Gateway</html>', $fault: 'server' });
    expect(res(400, '{"code":"Ignored"}', { 'x-amzn-errortype': 'InvalidAccessException' })).toMatchObject({ name: 'InvalidAccessException' });
  });

  it("finds the region's endpoint as the SDK's client does: partition, FIPS, dual-stack", async () => {
    expect(await endpointFor('us-east-1', {})).toBe('https://securityhub.us-east-1.amazonaws.com');
    expect(await endpointFor('cn-north-1', {})).toBe('https://securityhub.cn-north-1.amazonaws.com.cn');
    const sdk = new SecurityHubClient({ region: 'us-east-1' });
    let compared = 0;
    try {
      for (const region of ['us-east-1', 'eu-west-3', 'ap-southeast-4', 'cn-northwest-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1']) {
        for (const [fips, dualStack] of [[false, false], [true, false], [false, true], [true, true]] as const) {
          const env = { AWS_USE_FIPS_ENDPOINT: String(fips), AWS_USE_DUALSTACK_ENDPOINT: String(dualStack) };
          let expected: string;
          try {
            expected = sdk.config.endpointProvider({ Region: region, UseFIPS: fips, UseDualStack: dualStack }).url.origin;
          } catch {
            continue; // a combination the partition does not offer: the SDK refuses it, the call would fail either way
          }
          expect([region, fips, dualStack, await endpointFor(region, env)]).toEqual([region, fips, dualStack, expected]);
          compared++;
        }
      }
      expect(compared).toBeGreaterThanOrEqual(20);
    } finally {
      sdk.destroy();
    }
  });
});
