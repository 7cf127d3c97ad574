// What a chat summary says about the alerts it folds in.
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert } from '../../../src/alert/alert.ts';
import { burstFacts } from '../../../src/plugin/burst.ts';

const alert = (rule: string, time: string, priority = 'Notice', hostname?: string) =>
  freezeAlert(toAlert({ rule, priority, time, output: 'o', output_fields: {}, ...(hostname ? { hostname } : {}) }, () => `${rule}-${time}`));

describe('burstFacts', () => {
  it('the time span runs from the earliest alert to the latest, whatever their order', () => {
    const facts = burstFacts([alert('a', '2026-11-20T10:21:39Z'), alert('b', '2026-11-20T10:21:36.5Z', 'Critical', 'n1'), alert('a', '2026-11-20T10:21:41Z')]);
    expect(facts).toEqual({
      count: 3,
      rules: 'a ×2, b ×1',
      top: 'Critical',
      priorities: 'Critical ×1, Notice ×2',
      hosts: 'n1',
      span: '2026-11-20 10:21:36.5 +0000 UTC – 2026-11-20 10:21:41 +0000 UTC',
    });
  });

  it('no alerts: nothing to say, and no throw', () => {
    expect(burstFacts([])).toEqual({ count: 0, rules: '', top: 'Debug', priorities: '', hosts: '', span: '' });
  });
});
