// refund: an alert admit() let through that was then refused (the spool full or failing: 507/503)
// gives back what it took on the outputs it passed for — the window it opened, its rate-limit token.
import { describe, expect, it } from 'vitest';
import type { Target } from '../../../src/noise/noise.ts';
import { harness, shell } from './support.ts';

const TEN_MIN = 600_000;
const targets = (...names: string[]): Target[] => names.map((name) => ({ name }));

describe('refund', () => {
  it('closes the window the alert opened, without a summary, when it holds only that alert', async () => {
    const h = harness({ pager: { dedupe: { windowms: TEN_MIN } }, siem: {} });
    const refused = shell();
    expect(h.admit(refused)).toEqual(['pager', 'siem']);
    h.noise.refund(targets('pager', 'siem'), refused);
    expect(h.noise.health('pager')).toMatchObject({ activeKeys: 0 });
    // The retry (or the next alert of the key) pages: nothing went out for the refused one.
    expect(h.admit(shell())).toEqual(['pager', 'siem']);
    expect(h.admit(shell())).toEqual(['siem']);
    await h.clock.advance(TEN_MIN);
    expect(h.summaries.map((s) => s.alert.output_fields['peregrine.count'])).toEqual([2]);
  });

  it('takes the alert out of a window that has counted repeats since: the window stays, its count goes back', async () => {
    const h = harness({ pager: { dedupe: { windowms: TEN_MIN } } });
    const refused = shell();
    h.admit(refused);
    h.admit(shell());
    h.admit(shell());
    h.noise.refund(targets('pager'), refused);
    expect(h.noise.health('pager')).toMatchObject({ activeKeys: 1 });
    await h.clock.advance(TEN_MIN);
    expect(h.summaries.map((s) => [s.alert.output_fields['peregrine.count'], s.alert.output_fields['peregrine.suppressed']])).toEqual([[2, 2]]);
  });

  it('gives the rate-limit token back (rate limit alone, and with dedupe)', () => {
    const h = harness({ alone: { ratelimit: { max: 1 } }, both: { dedupe: { windowms: 1000 }, ratelimit: { max: 1 } } });
    const refused = shell();
    expect(h.admit(refused)).toEqual(['alone', 'both']);
    h.noise.refund(targets('alone', 'both'), refused);
    expect(h.admit(shell())).toEqual(['alone', 'both']);
    expect(h.admit(shell())).toEqual([]);
  });

  it('leaves alone what other alerts opened, outputs without noise control and unknown outputs', async () => {
    const h = harness({ pager: { dedupe: { windowms: TEN_MIN } }, siem: {} });
    h.admit(shell());
    const held = shell();
    expect(h.admit(held)).toEqual(['siem']);
    // Not the alert that opened the window: refunding it changes nothing.
    h.noise.refund(targets('pager', 'siem', 'gone'), held);
    expect(h.noise.health('pager')).toMatchObject({ activeKeys: 1 });
    await h.clock.advance(TEN_MIN);
    expect(h.summaries.map((s) => s.alert.output_fields['peregrine.count'])).toEqual([2]);
  });
});
