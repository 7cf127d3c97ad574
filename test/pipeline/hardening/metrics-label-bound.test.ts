// falco_events_total used to keep label values in full: 150 alerts with 1 MiB rule names made a
// 157 MB /metrics and 1.2 GiB RSS. Label values are cut at 256 characters; series stay capped.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
});

describe('falco events counter labels', () => {
  it('are cut at 256 characters, so /metrics stays small whatever the rule names', async () => {
    app = await startApp('stdout:\n  enabled: false\ningest:\n  maxbodybytes: 4194304\n');
    const rule = (i: number) => `${String(i).padStart(4, '0')}${'r'.repeat(1024 * 1024)}`;
    for (let i = 0; i < 20; i++) {
      const res = await app.post({ rule: rule(i), priority: 'Notice', time: '2026-11-20T10:21:36Z', output_fields: { 'k8s.ns.name': 'n'.repeat(300_000) } });
      expect(res.status).toBe(200);
    }
    const metrics = await (await request(`${app.url}/metrics`)).body.text();
    expect(metrics.length).toBeLessThan(60_000);
    const lines = metrics.split('\n').filter((l) => l.startsWith('falcosecurity_falcosidekick_falco_events_total{'));
    expect(lines).toHaveLength(20);
    const first = lines.find((l) => l.includes('rule="0000')) as string;
    expect(/rule="([^"]*)"/.exec(first)?.[1]).toBe(`0000${'r'.repeat(251)}…`);
    expect(/k8s_ns_name="([^"]*)"/.exec(first)?.[1]).toBe(`${'n'.repeat(255)}…`);
  });
});
