import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { classifyError, classifyFailedFinding } from './classify.ts';
import { toFinding } from './finding.ts';
import { TokenBucket } from './rate-limit.ts';
import { chunkFindings, findingsBody, MAX_CALL_BYTES, sendFindings, type SendDeps } from './send.ts';

const target = { accountId: '123456789012', region: 'us-east-1', partition: 'aws', productArn: 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default' };
const alerts = (n: number, extra: Partial<AlertInput> = {}): Alert[] =>
  Array.from({ length: n }, (_, i) => freezeAlert(toAlert({ ...(parseJson(falcoAlertJson(i)) as AlertInput), ...extra })));

function sdkError(name: string, status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`${name} message`), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, $response: { headers } });
}

describe('awssecurityhub token bucket', () => {
  it('allows a burst of 30, then 10 per second; drain() empties it', async () => {
    let now = 1000;
    const bucket = new TokenBucket(10, 30, () => now);
    for (let i = 0; i < 30; i++) {
      expect(bucket.waitMs()).toBe(0);
      await bucket.take();
    }
    expect(bucket.waitMs()).toBeCloseTo(100);
    now += 1000; // ten tokens back
    for (let i = 0; i < 10; i++) await bucket.take();
    expect(bucket.waitMs()).toBeCloseTo(100);
    now += 10_000;
    expect(bucket.waitMs()).toBe(0);
    bucket.drain();
    expect(bucket.waitMs()).toBeCloseTo(100);
    now += 10_000;
    bucket.drain(1000); // a throttle with a 1 s pause
    expect(bucket.waitMs()).toBeCloseTo(1100);
  });

  it('callers already waiting when a throttle drains the bucket wait for the new schedule', async () => {
    const bucket = new TokenBucket(20, 1); // 50 ms per call
    await bucket.take();
    const started = performance.now();
    const waiting = bucket.take(); // due in 50 ms
    bucket.drain(300);
    await waiting;
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('stops waiting when the signal aborts', async () => {
    const bucket = new TokenBucket(1, 1);
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    controller.abort(new Error('timed out after 10 ms'));
    await expect(waiting).rejects.toThrow('timed out after 10 ms');
  });
});

describe('awssecurityhub classification', () => {
  it('whole-call errors: throttling, auth, server faults, rejections', () => {
    expect(classifyError(sdkError('ThrottlingException', 400))).toMatchObject({ throttled: true, outcome: { kind: 'retry', afterMs: 1000 } });
    expect(classifyError(sdkError('TooManyRequestsException', 429, { 'retry-after': '3' }))).toMatchObject({ throttled: true, outcome: { kind: 'retry', afterMs: 3000 } });
    expect(classifyError(sdkError('Unknown', 429))).toMatchObject({ throttled: true, outcome: { kind: 'retry' } });
    for (const name of ['AccessDeniedException', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'InvalidAccessException', 'CredentialsProviderError']) {
      expect(classifyError(sdkError(name, 403)).outcome).toMatchObject({ kind: 'retry', auth: true });
    }
    expect(classifyError(sdkError('InternalException', 500)).outcome).toMatchObject({ kind: 'retry' });
    expect(classifyError(sdkError('InternalException', 500)).outcome).not.toHaveProperty('auth');
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).outcome.kind).toBe('retry');
    expect(classifyError(sdkError('InvalidInputException', 400)).outcome).toMatchObject({ kind: 'fail', reason: expect.stringContaining('InvalidInputException (HTTP 400)') });
  });

  it('per-finding ErrorCodes: transient retried, access waits, invalid dead-lettered', () => {
    expect(classifyFailedFinding('InternalException', 'x')).toMatchObject({ kind: 'retry' });
    expect(classifyFailedFinding('ThrottlingException', 'x')).toMatchObject({ kind: 'retry', afterMs: 1000 });
    expect(classifyFailedFinding('LimitExceededException', 'x')).toMatchObject({ kind: 'retry', afterMs: 1000 });
    expect(classifyFailedFinding('ServiceUnavailable', 'x')).toMatchObject({ kind: 'retry' });
    expect(classifyFailedFinding('AccessDeniedException', 'x')).toMatchObject({ kind: 'retry', auth: true });
    expect(classifyFailedFinding('InvalidInput', 'Finding does not adhere to ASFF')).toEqual({ kind: 'fail', reason: 'finding rejected by Security Hub: InvalidInput: Finding does not adhere to ASFF' });
    expect(classifyFailedFinding('SomethingNew', 'x')).toMatchObject({ kind: 'fail' });
  });
});

describe('awssecurityhub calls', () => {
  it('groups findings by 100 and by 6 MB', () => {
    const small = chunkFindings(Array.from({ length: 250 }, () => ({ bytes: 1000 })));
    expect(small.map((c) => c.length)).toEqual([100, 100, 50]);
    const big = chunkFindings(Array.from({ length: 100 }, () => ({ bytes: 200_000 })));
    for (const c of big) expect(c.reduce((s, i) => s + i.bytes + 1, 0)).toBeLessThanOrEqual(MAX_CALL_BYTES);
    expect(big.flat()).toHaveLength(100);
    expect(big.length).toBeGreaterThan(1);
  });

  it("writes the call's body as the findings' JSON joined in the envelope, multi-byte text included", () => {
    const item = (json: string) => ({ json, bytes: Buffer.byteLength(json) });
    const parts = ['{"a":"bäsh"}', '{"b":"✓ 日本 🦅"}', '{"c":1}'];
    expect(findingsBody(parts.map(item)).toString()).toBe(`{"Findings":[${parts.join(',')}]}`);
    expect(findingsBody([item('{}')]).toString()).toBe('{"Findings":[{}]}');
    // A finding's byte count is what sizes the buffer: a wrong one is a bug, not a short body.
    expect(() => findingsBody([{ json: '{"x":"ä"}', bytes: 9 }])).toThrow('a finding of 9 bytes wrote 10');
    expect(() => findingsBody([item('{}'), { json: '{"x":"ä"}', bytes: 11 }])).toThrow('a finding of 11 bytes wrote 10');
  });

  it('splits a batch of huge findings into several calls, each through the bucket', async () => {
    const calls: number[] = [];
    let taken = 0;
    const deps: SendDeps = {
      target,
      bucket: { take: async () => void taken++, drain: () => {} } as unknown as TokenBucket,
      hub: {
        send: (async (cmd: { input: { Findings: unknown[] } }) => {
          calls.push(cmd.input.Findings.length);
          return { FailedCount: 0, SuccessCount: cmd.input.Findings.length, FailedFindings: [] };
        }) as unknown as SendDeps['hub']['send'],
      },
    };
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) fields[`f${i}`] = '€'.repeat(2000);
    const result = await sendFindings(alerts(100, { output_fields: fields }), deps, new AbortController().signal);
    expect(result).toEqual({ kind: 'ok' });
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(100);
    expect(taken).toBe(calls.length);
  });

  it('a throttled call drains the bucket and does not spend the next call', async () => {
    let drained = 0;
    let sent = 0;
    const deps: SendDeps = {
      target,
      bucket: { take: async () => {}, drain: () => void drained++ } as unknown as TokenBucket,
      hub: {
        send: (async () => {
          sent++;
          throw sdkError('ThrottlingException', 400);
        }) as unknown as SendDeps['hub']['send'],
      },
    };
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) fields[`f${i}`] = '€'.repeat(2000);
    const result = await sendFindings(alerts(100, { output_fields: fields }), deps, new AbortController().signal);
    expect(sent).toBe(1);
    expect(drained).toBe(1);
    expect(result).toMatchObject({ kind: 'retry', afterMs: 1000 });
  });

  it('a response that counts fewer findings than were sent has them sent again', async () => {
    const deps: SendDeps = {
      target,
      bucket: { take: async () => {}, drain: () => {} } as unknown as TokenBucket,
      hub: { send: (async () => ({ FailedCount: 0, SuccessCount: 2, FailedFindings: [] })) as unknown as SendDeps['hub']['send'] },
    };
    const result = await sendFindings(alerts(3), deps, new AbortController().signal);
    expect(result).toMatchObject({ kind: 'retry', reason: 'Security Hub counted 2 of the 3 findings sent' });
  });

  it("the SDK's client sends the findings' JSON as the output made it, signed and with its length", async () => {
    const seen: { body: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ body: Buffer.concat(chunks).toString(), headers: req.headers });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"FailedCount":0,"SuccessCount":3,"FailedFindings":[]}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hub = new SecurityHubClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      const batch = alerts(3, { output_fields: { 'proc.name': 'bäsh', 'fd.name': '/tmp/✓ 日本', 'evt.num': 12 } as AlertInput['output_fields'] });
      const deps: SendDeps = { target, hub, bucket: new TokenBucket(100, 100) };
      expect(await sendFindings(batch, deps, new AbortController().signal)).toEqual({ kind: 'ok' });
      const [call] = seen;
      // Byte for byte what toFinding made: the SDK's serialiser would order each finding's keys by its schema.
      expect(call?.body).toBe(`{"Findings":[${batch.map((a) => JSON.stringify(toFinding(a, target))).join(',')}]}`);
      expect(Number(call?.headers['content-length'])).toBe(Buffer.byteLength(call?.body ?? ''));
      expect(call?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/securityhub\/aws4_request/);
    } finally {
      hub.destroy();
      server.close();
    }
  });
});
