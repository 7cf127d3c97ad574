// ratelimit: alerts per dedupe key per period, alone and across dedupe windows.
import { describe, expect, it } from 'vitest';
import { metricSum } from '../../support/metrics.ts';
import { harness, shell } from './support.ts';

describe('ratelimit', () => {
  it('sends at most max alerts per key per period, then again once the period is over', async () => {
    const h = harness({ out: { ratelimit: { max: 3, perms: 60_000 } } });
    const verdicts = Array.from({ length: 5 }, () => h.admit(shell()).length);
    expect(verdicts).toEqual([1, 1, 1, 0, 0]);
    expect(h.admit(shell({ hostname: 'other' }))).toEqual(['out']);
    await h.clock.advance(59_999);
    expect(h.admit(shell())).toEqual([]);
    await h.clock.advance(1);
    expect(h.admit(shell())).toEqual(['out']);
    expect(h.noise.health('out')).toMatchObject({ suppressed: { ratelimit: 3, dedupe: 0 }, rateLimitedKeys: 1 });
    expect(await metricSum(h.metrics.registry, 'peregrine_suppressed_total', { output: 'out', reason: 'ratelimit' })).toBe(3);
    expect(h.summaries).toEqual([]);
  });

  it('caps leading edges across dedupe windows; a limited window still ends in its summary', async () => {
    const h = harness({ out: { dedupe: { windowms: 1000 }, ratelimit: { max: 2, perms: 10_000 } } });
    const sent: number[] = [];
    for (let window = 0; window < 4; window++) {
      sent.push(h.admit(shell()).length, h.admit(shell()).length);
      await h.clock.advance(1000);
    }
    expect(sent).toEqual([1, 0, 1, 0, 0, 0, 0, 0]);
    expect(h.noise.health('out')).toMatchObject({ suppressed: { dedupe: 4, ratelimit: 2 } });
    // Every window held something back: four summaries; in the limited ones the first alert is counted too.
    expect(h.summaries.map((s) => [s.alert.output_fields['peregrine.count'], s.alert.output_fields['peregrine.suppressed']])).toEqual([
      [2, 1],
      [2, 1],
      [2, 2],
      [2, 2],
    ]);
    await h.clock.advance(6000);
    expect(h.admit(shell())).toEqual(['out']);
  });

  it('evicts the oldest key past maxkeys (counted)', async () => {
    const h = harness({ out: { ratelimit: { max: 1 }, dedupe: { maxkeys: 10 } } });
    for (let i = 0; i < 12; i++) h.admit(shell({ hostname: `h${i}` }));
    expect(h.noise.health('out')).toMatchObject({ rateLimitedKeys: 10, evicted: 2 });
    expect(h.admit(shell({ hostname: 'h0' }))).toEqual(['out']);
    expect(h.admit(shell({ hostname: 'h11' }))).toEqual([]);
  });
});
