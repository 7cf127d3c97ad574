// Noise control end to end over real sockets: 1,000 alerts of 5 rules over 3 hosts to two outputs.
// The SIEM (no dedupe) gets every alert; the pager (dedupe on rule + hostname) gets the first of
// each key at once and one summary per key at window end, carrying that key's exact count.
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

const RULES = ['Terminal shell in container', 'Write below etc', 'Read sensitive file', 'Outbound connection', 'Privileged container'];
const HOSTS = ['node-1', 'node-2', 'node-3'];
const WINDOW = 600_000;

let app: RunningApp | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  await app?.stop();
  for (const r of receivers.splice(0)) await r.stop();
  app = undefined;
});

/** Alert i: rule i mod 5, host ⌊i/5⌋ mod 3 (every rule on every host), priority Warning for one in seven. */
function alertJson(i: number): string {
  const rule = RULES[i % RULES.length] as string;
  const host = HOSTS[Math.floor(i / RULES.length) % HOSTS.length] as string;
  return falcoAlertJson(i, i % 7 === 0 ? 'Warning' : 'Notice')
    .replace('"rule":"Terminal shell in container"', `"rule":"${rule}"`)
    .replace('"hostname":"node-1"', `"hostname":"${host}"`);
}
const keyOf = (a: { rule: string; hostname?: string }) => `${a.rule}@${a.hostname}`;

describe('noise control pipeline', () => {
  it('pages once per key and summarises the rest; the plain output gets all 1,000', async () => {
    const siem = await new Receiver().start();
    const pager = await new Receiver().start();
    receivers.push(siem, pager);
    const clock = new FakeClock();
    app = await startApp(
      `webhook:\n  address: ${siem.url()}\noutputs:\n  pager:\n    type: webhook\n    address: ${pager.url()}\n    dedupe:\n      windowms: ${WINDOW}\n      keys: [rule, hostname]\n`,
      { clock },
    );
    const n = 1000;
    const expected = new Map<string, { count: number; warning: boolean; first: string }>();
    for (let i = 0; i < n; i++) {
      const a = JSON.parse(alertJson(i)) as Alert;
      const e = expected.get(keyOf(a)) ?? { count: 0, warning: false, first: a.uuid };
      e.count++;
      e.warning ||= a.priority === 'Warning';
      expected.set(keyOf(a), e);
    }
    expect(expected.size).toBe(15);
    for (let i = 0; i < n; i += 100) {
      const batch = `[${Array.from({ length: 100 }, (_, j) => alertJson(i + j)).join(',')}]`;
      expect((await app.post(batch)).status).toBe(200);
    }
    await waitFor(() => siem.received.length === n && pager.received.length === 15, 20_000, 'all alerts and the 15 firsts');
    await Promise.all(app.workers.map((w) => w.idle()));

    // The pager got exactly the first alert of each key, unchanged.
    const firsts = pager.acceptedJson<Alert>();
    expect(new Map(firsts.map((a) => [keyOf(a), a.uuid]))).toEqual(new Map([...expected].map(([k, e]) => [k, e.first])));
    expect(await metricValue(app, 'peregrine_suppressed_total', { output: 'pager', reason: 'dedupe' })).toBe(n - 15);
    expect(await metricValue(app, 'peregrine_suppressed_total', { output: 'webhook' })).toBe(0);
    const health = (await app.server.inject({ url: '/healthz' })).json<{ outputs: Record<string, { noise?: unknown }> }>();
    expect(health.outputs.pager?.noise).toEqual({ suppressed: { dedupe: n - 15, ratelimit: 0, silence: 0 }, activeKeys: 15, evicted: 0 });
    expect(health.outputs.webhook?.noise).toBeUndefined();

    // Window end: one summary per key, with that key's count.
    await clock.advance(WINDOW);
    await waitFor(() => pager.received.length === 30, 10_000, '15 summaries');
    const summaries = pager.acceptedJson<Alert>().slice(15);
    expect(summaries.map((s) => [keyOf(s), s.output_fields['peregrine.count'], s.output_fields['peregrine.suppressed'], s.priority]).sort()).toEqual(
      [...expected].map(([k, e]) => [k, e.count, e.count - 1, e.warning ? 'Warning' : 'Notice']).sort(),
    );
    expect(summaries.every((s) => s.output.startsWith(`${s.rule} ×`))).toBe(true);
    expect(siem.received).toHaveLength(n);
    expect(await metricValue(app, 'peregrine_dedupe_summaries_total', { output: 'pager' })).toBe(15);
  });
});
