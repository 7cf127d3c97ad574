// The gcpchronicle output through the real app against an in-process stand-in for the Chronicle
// API's logs:import (test/support/chronicle-receiver.ts: Google SecOps is SaaS-only), which checks
// every request against the documented ImportLogsRequest and verifies the service account's
// self-signed token with its public key. Several alerts per import, each Log's data falcosidekick's
// alert JSON; 429 and 503 retried; a 400 import halved until the refused alert is alone and
// dead-lettered; a 404 (wrong log type), 401 and 403 held with the output failing, naming what to fix.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { importedLogs, startChronicleReceiver, type ChronicleState } from '../../support/chronicle-receiver.ts';
import { falcosidekickBody, settled } from '../../support/json-post.ts';
import { waitFor } from '../../support/receiver.ts';
import type { SaasReceiver } from '../../support/saas-receiver.ts';

const PARENT = 'projects/p1/locations/us/instances/inst-1';
const EMAIL = 'falco@p1.iam.gserviceaccount.com';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyFile = (pem: string) => Buffer.from(JSON.stringify({ type: 'service_account', project_id: 'p1', private_key_id: 'k1', client_email: EMAIL, private_key: pem })).toString('base64');
const credentials = keyFile(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

let app: RunningApp | undefined;
let api: SaasReceiver | undefined;
afterEach(async () => {
  await app?.close();
  await api?.stop();
  app = api = undefined;
});

async function start(options: { state?: Partial<ChronicleState>; logtype?: string; maxevents?: number; flushms?: number; key?: string } = {}) {
  const started = await startChronicleReceiver({ email: EMAIL, publicKey }, { parent: PARENT, logTypes: ['FALCO_IDS'], ...options.state });
  api = started.receiver;
  app = await startApp(
    `gcp:\n  credentials: ${options.key ?? credentials}\n  chronicle:\n    region: us\n    projectid: p1\n    instanceid: inst-1\n` +
      `${options.logtype ? `    logtype: ${options.logtype}\n` : ''}    endpoint: ${api.url('')}\n` +
      `    retry:\n      initialbackoffms: 20\n      maxbackoffms: 100\n    batch:\n      maxevents: ${options.maxevents ?? 3}\n      flushms: ${options.flushms ?? 60_000}\n`,
  );
  return { app, api, tokenProblems: started.tokenProblems };
}
const worker = (a: RunningApp) => a.workers.find((w) => w.name === 'gcpchronicle');
const post = async (a: RunningApp, ids: number[]) => {
  for (const i of ids) expect((await a.post(falcoAlertJson(i))).status).toBe(200);
};

describe('gcpchronicle integration (logs:import stand-in)', () => {
  it('imports a batch of alerts in one request: data = the alert JSON, times to the second, a verified token', async () => {
    const { app: a, api: r, tokenProblems } = await start();
    const before = Math.floor(Date.now() / 1000) * 1000;
    await post(a, [0, 1, 2]);
    await settled(a, 'gcpchronicle', 3);
    const after = Date.now();
    expect(tokenProblems).toEqual([]);
    expect(r.invalid).toEqual([]);
    expect(r.accepted).toHaveLength(1);
    expect(r.accepted[0]?.url).toBe(`/v1beta/${PARENT}/logTypes/FALCO_IDS/logs:import`);
    expect(r.accepted[0]?.headers['content-type']).toBe('application/json');
    const logs = importedLogs(r);
    expect(logs.map((l) => l.data)).toEqual([0, 1, 2].map(falcosidekickBody));
    expect(logs.map((l) => l.logEntryTime)).toEqual(['2026-11-20T10:21:36Z', '2026-11-20T10:21:36Z', '2026-11-20T10:21:36Z']);
    for (const l of logs) {
      expect(l.collectionTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Date.parse(l.collectionTime)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(l.collectionTime)).toBeLessThanOrEqual(after);
    }
    expect(await metricValue(a, 'peregrine_delivered_total', { output: 'gcpchronicle' })).toBe(3);
  });

  it('429 with Retry-After, then 503: retried, delivered once', async () => {
    const { app: a, api: r } = await start({ maxevents: 1 });
    r.failNext({ kind: 'throttle', retryAfter: '0' }, { kind: 'unavailable', status: 503 });
    await post(a, [0]);
    await settled(a, 'gcpchronicle', 1);
    expect(r.requests).toHaveLength(3);
    expect(importedLogs(r).map((l) => l.data)).toEqual([falcosidekickBody(0)]);
    expect(a.deadLetters.size()).toBe(0);
  });

  it('a 400 import: halved until the refused alert is alone; it is dead-lettered, the others imported once', async () => {
    const { app: a, api: r } = await start({ state: { refuseData: falcosidekickBody(1) }, flushms: 300 });
    await post(a, [0, 1, 2]);
    await settled(a, 'gcpchronicle', 3);
    expect(r.requests.map((q) => (JSON.parse(q.body) as { inlineSource: { logs: unknown[] } }).inlineSource.logs.length).sort()).toEqual([1, 1, 1, 2, 3]);
    expect(importedLogs(r).map((l) => l.data).sort()).toEqual([falcosidekickBody(0), falcosidekickBody(2)].sort());
    const dead = a.deadLetters.list({ output: 'gcpchronicle' });
    expect(dead.map((d) => d.detail)).toEqual(['Chronicle answered 400 INVALID_ARGUMENT: inlineSource.logs[0].data could not be parsed']);
  });

  it.each([
    ['403 PERMISSION_DENIED', undefined, /^Chronicle answered 403 PERMISSION_DENIED: Permission 'chronicle.logs.import' denied/],
    [
      'an unknown log type (404)',
      undefined,
      new RegExp(`^Chronicle answered 404 NOT_FOUND: Resource not found: ${PARENT}/logTypes/FALCO_X \\(${PARENT}/logTypes/FALCO_X does not exist: check gcp\\.chronicle\\.projectid \\(p1\\), gcp\\.chronicle\\.instanceid \\(inst-1\\), gcp\\.chronicle\\.region \\(us\\) and gcp\\.chronicle\\.logtype \\(FALCO_X\\)\\)$`),
    ],
    ['a token signed with another key (401)', keyFile(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), /^Chronicle answered 401 UNAUTHENTICATED: Request had invalid authentication credentials/],
  ])('%s: held, the output failing, nothing dead-lettered', async (what, key, error) => {
    const { app: a, api: r } = await start(key ? { key } : what.includes('404') ? { logtype: 'FALCO_X' } : {});
    if (what.startsWith('403')) r.failAlways({ kind: 'status', status: 403 });
    await post(a, [0, 1, 2]);
    await waitFor(() => worker(a)?.healthSnapshot().state === 'failing', 10_000, 'failing');
    expect(worker(a)?.healthSnapshot().lastError).toMatch(error);
    expect(a.deadLetters.size()).toBe(0);
    expect(r.accepted).toEqual([]);
  });
});
