// The wavefront output inside the real app against the Wavefront stand-in (test/support/
// wavefront-receiver.ts, which parses every line by the documented data format): direct ingestion
// with the token and a proxy without one, and each documented answer classified (202, 400, 401, 403,
// 404, 406, 429, 5xx).
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import type { GzipSaasReceiver } from '../../test/support/gzip-saas-receiver.ts';
import { startWavefrontDirect, startWavefrontProxy } from '../../test/support/wavefront-receiver.ts';

const TOKEN = 'd0c1e5a2-7b3f-4e61-9a8c-2f5e6d7c8b9a';
// The fixture alert (test/fixtures/alerts/falco-shell.json) as its point.
const LINE =
  '"falco.alert" 1 1795170096167531875 source="falco-exporter" "severity"="Notice" "rule"="Terminal shell in container" "source"="syscall" "hostname"="node-1" "container.id"="1f0a2e5c8d3b" "k8s.ns.name"="default" "k8s.pod.name"="web-7d9" "proc.cmdline"="sh -c id" "user.name"="root" "tags"="T1059, container, mitre_execution, shell"\n';

let app: RunningApp | undefined;
let wf: GzipSaasReceiver | undefined;
let clock = new FakeClock();
let settle: ReturnType<typeof settler>;
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  await wf?.stop();
  app = wf = undefined;
});

async function run(mode: 'direct' | 'proxy', token = TOKEN, host = (r: GzipSaasReceiver) => r.url('')): Promise<{ app: RunningApp; wf: GzipSaasReceiver }> {
  clock = new FakeClock();
  wf = mode === 'direct' ? await startWavefrontDirect(TOKEN, () => clock.now()) : await startWavefrontProxy(() => clock.now());
  const section = mode === 'direct' ? `  endpointtype: direct\n  endpointhost: ${host(wf)}\n  endpointtoken: ${token}\n` : `  endpointtype: proxy\n  endpointhost: http://127.0.0.1\n  endpointmetricport: ${wf.port}\n`;
  app = await startApp(`wavefront:\n${section}  timeoutms: 10000\n  batch:\n    flushms: 50\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 500\n`, { healthIntervalMs: 100, clock });
  settle = settler(clock, app);
  return { app, wf };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'wavefront' });
const lines = (r: GzipSaasReceiver) => r.accepted.flatMap((q) => (q.body ?? '').split(/(?<=\n)/));

describe('wavefront: direct ingestion and proxy answers', () => {
  it('direct, 202: the points gzip\'d to /report?f=wavefront with the bearer token, valid by the data format', async () => {
    const { app: a, wf: r } = await run('direct');
    for (let i = 0; i < 3; i++) await a.post(falcoAlertJson(i));
    await settle(async () => (await delivered(a)) === 3, '3 delivered');
    expect(r.invalid).toEqual([]);
    expect(lines(r)).toEqual([LINE, LINE, LINE]);
    for (const q of r.accepted) {
      expect([q.method, q.url]).toEqual(['POST', '/report?f=wavefront']);
      expect(q.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' });
    }
  });

  it('proxy, 202: the same points, no Authorization header', async () => {
    const { app: a, wf: r } = await run('proxy');
    await a.post(falcoAlertJson(1));
    await settle(async () => (await delivered(a)) === 1, 'delivered');
    expect(r.invalid).toEqual([]);
    expect(lines(r)).toEqual([LINE]);
    expect(r.accepted[0]?.headers.authorization).toBeUndefined();
  });

  it('401 for a token Wavefront does not know: the output is failing, the alert held, the token not in the error', async () => {
    const { app: a, wf: r } = await run('direct', 'not-the-token');
    await a.post(falcoAlertJson(1));
    await settle(() => a.workers.find((w) => w.name === 'wavefront')?.healthSnapshot().state === 'failing', 'failing');
    expect(r.accepted).toHaveLength(0);
    expect(a.deadLetters.size()).toBe(0);
    const health = (await (await fetch(`${a.url}/healthz`)).json()) as { outputs: Record<string, { lastError: string }> };
    expect(health.outputs.wavefront?.lastError).toContain('check wavefront.endpointtoken');
    expect(health.outputs.wavefront?.lastError).not.toContain('not-the-token');
  });

  it('403 (no Direct Data Ingestion permission) until it is granted: held, then delivered', async () => {
    const { app: a, wf: r } = await run('direct');
    r.failAlways({ kind: 'status', status: 403 });
    await a.post(falcoAlertJson(1));
    await settle(() => a.workers.find((w) => w.name === 'wavefront')?.healthSnapshot().state === 'failing', 'failing');
    expect(a.deadLetters.size()).toBe(0);
    r.failAlways(undefined);
    await settle(async () => (await delivered(a)) === 1, 'delivered once granted');
  });

  it.each([
    ['406 (pushback)', { kind: 'status', status: 406 }],
    ['429 with Retry-After', { kind: 'throttle', retryAfter: '1' }],
    ['500', { kind: 'unavailable', status: 500 }],
    ['503', { kind: 'unavailable', status: 503 }],
  ] as const)('%s twice, then 202: retried, delivered once', async (_name, fault) => {
    const { app: a, wf: r } = await run('proxy');
    r.failNext(fault, fault);
    await a.post(falcoAlertJson(1));
    await settle(async () => (await delivered(a)) === 1, 'delivered');
    expect(r.requests).toHaveLength(3);
    expect(lines(r)).toEqual([LINE]);
    expect(a.deadLetters.size()).toBe(0);
  });

  it('404 (no /report at that address): dead-lettered after one attempt, with the hint', async () => {
    const { app: a, wf: r } = await run('direct', TOKEN, (rec) => rec.url('/wrong/prefix'));
    await a.post(falcoAlertJson(1));
    await settle(() => a.deadLetters.size() === 1, 'dead-lettered');
    expect(r.requests.map((q) => q.url)).toEqual(['/wrong/prefix/report?f=wavefront']);
    expect(a.deadLetters.list()[0]).toMatchObject({ output: 'wavefront', reason: 'rejected', attempts: 1 });
    expect(a.deadLetters.list()[0]?.detail).toMatch(/^HTTP 404: Not Found \(no \/report here: check wavefront\.endpointhost/);
  });

  it('400 (a line Wavefront cannot parse): dead-lettered with its reason, not retried', async () => {
    const { app: a, wf: r } = await run('proxy');
    r.failNext({ kind: 'status', status: 400 });
    await a.post(falcoAlertJson(1));
    await settle(() => a.deadLetters.size() === 1, 'dead-lettered');
    expect(r.requests).toHaveLength(1);
    expect(a.deadLetters.list()[0]).toMatchObject({ output: 'wavefront', reason: 'rejected', attempts: 1 });
  });
});
