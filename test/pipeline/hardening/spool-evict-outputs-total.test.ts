// An alert the full spool evicts is lost for its output (peregrine_dropped_total{reason="spool_full"}),
// and falcosecurity_falcosidekick_outputs_total{status="error"} ("dead-lettered or dropped") counts it:
// falcosidekick's FalcoErrorOutputEventsRateHigh rule must not stay silent while alerts are lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { Receiver } from '../../support/receiver.ts';

const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('spool eviction and outputs_total', () => {
  it('counts an alert evicted from the full spool as outputs_total{status="error"}', async () => {
    const receiver = await new Receiver().start();
    receiver.setBehaviour(() => ({ kind: 'hang' })); // nothing is delivered: every alert stays in the spool
    cleanup.push(() => receiver.stop());
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-evict-total-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const app: RunningApp = await startApp(`spool:\n  enabled: true\n  dir: ${dir}/spool\n  maxbytes: 1048576\nwebhook:\n  address: ${receiver.url()}\n  timeoutms: 60000\n`);
    cleanup.push(() => app.close());

    // Fill the spool with Debug alerts, then send Emergency ones: Debug alerts are evicted to make room.
    for (let n = 0; n < 20; n++) {
      const batch = Array.from({ length: 200 }, (_, i) => JSON.parse(falcoAlertJson(n * 200 + i, 'Debug')) as unknown);
      const res = await app.post(JSON.stringify(batch));
      if (res.status !== 200) break;
    }
    for (let i = 0; i < 200; i++) await app.post(falcoAlertJson(50_000 + i, 'Emergency'));

    const evicted = await metricValue(app, 'peregrine_dropped_total', { output: 'webhook', reason: 'spool_full' });
    expect(evicted).toBeGreaterThan(0);
    const errors = await metricValue(app, 'falcosecurity_falcosidekick_outputs_total', { destination: 'webhook', status: 'error' });
    expect(errors).toBe(evicted);
  });
});
