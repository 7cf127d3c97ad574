// Throttling against a fault receiver standing in for Security Hub: 429 TooManyRequestsException and
// 400 ThrottlingException are retried after a pause, nothing is lost, and the call rate measured at
// the receiver stays within the quota (10 calls/s, burst 30). Needs no infra server; it lives here
// because it runs for several seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../../outputs/awssecurityhub/index.ts';
import { falcoAlertJson } from '../../support/alerts.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { Receiver, waitFor, type Received } from '../../support/receiver.ts';

const RATE = 10;
const BURST = 30;

describe('awssecurityhub throttling', () => {
  let receiver: Receiver;
  let app: RunningApp | undefined;
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await app?.stop();
    await receiver.stop();
    process.env = saved;
  });

  it('backs off on 429/ThrottlingException, loses nothing and stays under 10 calls/s (burst 30)', async () => {
    const calls: { at: number; status: number }[] = [];
    let importCalls = 0;
    receiver.setBehaviour((req: Received) => {
      if (req.url !== '/findings/import') return { kind: 'ok' };
      const n = importCalls++;
      const ids = (JSON.parse(req.body) as { Findings: { Id: string }[] }).Findings.length;
      if (n === 50 || n === 51) {
        calls.push({ at: req.at, status: 429 });
        return { kind: 'status', status: 429, headers: { 'x-amzn-errortype': 'TooManyRequestsException' }, body: '{"message":"Too Many Requests"}' };
      }
      if (n === 70) {
        calls.push({ at: req.at, status: 400 });
        return { kind: 'status', status: 400, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: '{"message":"Rate exceeded"}' };
      }
      calls.push({ at: req.at, status: 200 });
      return { kind: 'ok', body: JSON.stringify({ FailedCount: 0, SuccessCount: ids, FailedFindings: [] }) };
    });
    // Small batches so that 800 alerts need ~80 calls: well past the burst of 30.
    app = await startApp(
      `awssecurityhub:\n  region: us-east-1\n  accountid: "123456789012"\n  endpoint: ${receiver.url('')}\n  maxconcurrency: 8\n  batch:\n    maxevents: 10\n    flushms: 0\n  retry:\n    initialbackoffms: 50\n    maxbackoffms: 2000\n`,
      { extraPlugins: [plugin] },
    );
    const worker = app.workers.find((w) => w.name === 'awssecurityhub');
    const posts: Promise<unknown>[] = [];
    for (let i = 0; i < 800; i++) posts.push(app.post(falcoAlertJson(i, 'Error')));
    await Promise.all(posts);
    await waitFor(() => worker?.healthSnapshot().delivered === 800, 60_000, '800 deliveries');

    // Nothing lost: every uuid was accepted in a 200 answer, nothing dead-lettered.
    const accepted = new Set(receiver.received.filter((r) => r.url === '/findings/import').flatMap((r) => (JSON.parse(r.body) as { Findings: { Id: string }[] }).Findings.map((f) => f.Id)));
    expect(accepted.size).toBe(800);
    expect(worker?.healthSnapshot()).toMatchObject({ deadLettered: 0, dropped: 0, queued: 0 });
    expect(calls.filter((c) => c.status !== 200)).toHaveLength(3);

    // Backoff: after each throttle, no call for (almost) the 1 s the plugin asked for. Calls released
    // before the client had read the throttle answer (the receiver shares this busy event loop) may
    // still land in the first 250 ms; the gap is measured after those.
    for (const t of calls.filter((c) => c.status !== 200)) {
      const next = calls.filter((c) => c.at > t.at + 250);
      expect(next[0] === undefined || next[0].at - t.at >= 900).toBe(true);
    }

    // Rate at the receiver: any 1 s window holds at most BURST + RATE calls, and over the whole run
    // the calls never outpace BURST + RATE per second of elapsed time.
    const times = calls.map((c) => c.at).sort((a, b) => a - b);
    let maxWindow = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] as number) - (times[j] as number) >= 1000) j++;
      maxWindow = Math.max(maxWindow, i - j + 1);
    }
    const elapsed = ((times.at(-1) as number) - (times[0] as number)) / 1000;
    const perSecondAfterBurst = (times.length - BURST) / elapsed;
    console.log(
      `[awssecurityhub] ${times.length} calls in ${elapsed.toFixed(2)} s; busiest 1 s window ${maxWindow} calls; ${perSecondAfterBurst.toFixed(2)} calls/s beyond the burst`,
    );
    // +1: arrival times at the receiver jitter by a few ms around the send times the bucket spaces out.
    expect(maxWindow).toBeLessThanOrEqual(BURST + RATE + 1);
    expect(times.length).toBeLessThanOrEqual(BURST + RATE * elapsed + 1);
    expect(perSecondAfterBurst).toBeLessThanOrEqual(RATE + 0.5);
  });
});
