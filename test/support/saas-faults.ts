// The fault matrix every per-alert SaaS output (PagerDuty, Opsgenie) must pass through the real
// pipeline: throttling and outages are retried and then delivered; 401 holds the alerts while the
// output is failing; a URL or integration that is gone (404/410) dead-letters instead of retrying
// forever. Vendor-specific answers (400/422 bodies, lengths) stay in each output's own tests.
// Real sockets, fake clock: backoff and Retry-After run on the app's FakeClock, which the tests move
// only while no request is in flight (settler()).
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from './alerts.ts';
import { metricValue, type RunningApp } from './app.ts';
import { closeOnClock, settler, type FakeClock } from './fake-clock.ts';
import type { Fault, SaasReceiver } from './saas-receiver.ts';

export interface SaasUnderTest {
  output: string;
  /**
   * The app on `clock` (initialbackoffms 20; no short timeoutms: no fault here hangs, and a slow
   * answer must not be sent twice) with the output pointed at a fresh receiver that stamps its
   * requests with that clock.
   */
  start(): Promise<{ app: RunningApp; receiver: SaasReceiver; clock: FakeClock }>;
  /** The hint the output adds to a 404/410 reason. */
  goneHint: string;
}

export function saasFaultMatrix(vendor: SaasUnderTest): void {
  describe(`${vendor.output}: fault matrix through the pipeline`, () => {
    let running: { app: RunningApp; receiver: SaasReceiver; clock: FakeClock } | undefined;
    afterEach(async () => {
      if (running) await closeOnClock(running.app, running.clock);
      await running?.receiver.stop();
      running = undefined;
    });
    const start = async () => {
      running = await vendor.start();
      return { ...running, settle: settler(running.clock, running.app) };
    };
    const delivered = (app: RunningApp) => metricValue(app, 'peregrine_delivered_total', { output: vendor.output });

    it.each<[string, Fault]>([
      ['429 without Retry-After', { kind: 'throttle' }],
      ['500', { kind: 'unavailable', status: 500 }],
      ['502', { kind: 'unavailable', status: 502 }],
      ['503', { kind: 'unavailable', status: 503 }],
    ])('%s twice: retried with the core backoff, then delivered once', async (_name, fault) => {
      const { app, receiver, settle } = await start();
      receiver.failNext(fault, fault);
      await app.post(falcoAlertJson(1));
      await settle(async () => (await delivered(app)) === 1, 'delivered');
      expect(receiver.requests).toHaveLength(3);
      expect(receiver.accepted).toHaveLength(1);
      expect(await metricValue(app, 'peregrine_retries_total', { output: vendor.output, reason: 'error' })).toBe(2);
      expect(app.deadLetters.size()).toBe(0);
      expect(receiver.invalid).toEqual([]);
    });

    it('429 with Retry-After: the next attempt waits for it (initialbackoffms is 20)', async () => {
      const { app, receiver, settle } = await start();
      receiver.failNext({ kind: 'throttle', retryAfter: '0.3' });
      await app.post(falcoAlertJson(1));
      await settle(async () => (await delivered(app)) === 1, 'delivered');
      expect(receiver.requests).toHaveLength(2);
      expect((receiver.requests[1]?.clockAt ?? 0) - (receiver.requests[0]?.clockAt ?? 0)).toBeGreaterThanOrEqual(300); // maxbackoffms 500 bounds it
      expect(await metricValue(app, 'peregrine_retries_total', { output: vendor.output, reason: 'throttled' })).toBe(1);
    });

    it('429 with Retry-After as an HTTP date: the wait is measured on the app\'s clock', async () => {
      const { app, receiver, clock, settle } = await start();
      // Two seconds ahead of the fake clock (HTTP dates have whole seconds); maxbackoffms (500) bounds the wait.
      receiver.failNext({ kind: 'throttle', retryAfter: new Date(clock.now() + 2000).toUTCString() });
      await app.post(falcoAlertJson(1));
      await settle(async () => (await delivered(app)) === 1, 'delivered');
      expect(receiver.requests).toHaveLength(2);
      expect((receiver.requests[1]?.clockAt ?? 0) - (receiver.requests[0]?.clockAt ?? 0)).toBeGreaterThanOrEqual(500);
    });

    it.each([404, 410] as const)('%i (URL or integration gone): each alert dead-lettered after one attempt, not retried forever', async (status) => {
      const { app, receiver, settle } = await start();
      receiver.failAlways({ kind: 'status', status });
      for (let i = 0; i < 3; i++) await app.post(falcoAlertJson(i));
      await settle(() => app.deadLetters.size() === 3, '3 dead-lettered');
      expect(receiver.requests).toHaveLength(3);
      const [dead] = app.deadLetters.list();
      expect(dead).toMatchObject({ output: vendor.output, reason: 'rejected', attempts: 1 });
      expect(dead?.detail.startsWith(`HTTP ${status}: `)).toBe(true);
      expect(dead?.detail.endsWith(vendor.goneHint)).toBe(true);
    });

    it('401: the output is failing in /healthz, alerts stay queued (none dead-lettered), delivered once the key is accepted', async () => {
      const { app, receiver, settle } = await start();
      receiver.failAlways({ kind: 'status', status: 401 });
      for (let i = 0; i < 3; i++) await app.post(falcoAlertJson(i));
      await settle(() => app.workers.find((w) => w.name === vendor.output)?.healthSnapshot().state === 'failing', 'failing');
      const health = (await (await fetch(`${app.url}/healthz`)).json()) as { outputs: Record<string, { lastError: string }> };
      expect(health.outputs[vendor.output]?.lastError).toContain('HTTP 401');
      expect(app.deadLetters.size()).toBe(0);
      receiver.failAlways(undefined);
      await settle(async () => (await delivered(app)) === 3, 'delivery after the key is accepted');
    });

    it('a destination that is down (connection refused) and comes back: retried, then delivered', async () => {
      const { app, receiver, settle } = await start();
      const port = receiver.port;
      await receiver.stop();
      await app.post(falcoAlertJson(1));
      await settle(async () => (await metricValue(app, 'peregrine_retries_total', { output: vendor.output })) >= 1, 'a retry');
      await receiver.start(port);
      await settle(async () => (await delivered(app)) === 1, 'delivery once it is back');
    });
  });
}
