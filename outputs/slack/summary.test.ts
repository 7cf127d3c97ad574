// How a batch becomes messages: the first summaryafter alerts on their own, the rest in one summary.
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type Alert } from '../../src/alert/alert.ts';
import type { Priority } from '../../src/alert/priority.ts';
import { slackSchema } from './options.ts';
import { planMessages, summaryMessage } from './summary.ts';

const options = slackSchema.parse({ webhookurl: 'https://hooks.slack.com/services/T/B/X', summaryafter: 3 });

function alert(i: number, rule: string, priority: Priority = 'Notice', hostname = `node-${i % 2}`): Alert {
  const second = String(10 + (i % 50)).padStart(2, '0');
  return freezeAlert(toAlert({ rule, priority, hostname, output: `out ${i}`, time: `2026-11-20T10:21:${second}.5Z`, output_fields: { i } }, () => `a-${i}`));
}

describe('planMessages', () => {
  it('sends a batch of up to summaryafter + 1 alerts in full, one message each', () => {
    for (const size of [1, 3, 4]) {
      const plan = planMessages(Array.from({ length: size }, (_, i) => alert(i, 'r')), options);
      expect(plan.map((p) => p.alerts)).toEqual(Array.from({ length: size }, (_, i) => [i]));
    }
  });

  it('folds everything after the first summaryafter alerts into one summary message', () => {
    const batch = Array.from({ length: 40 }, (_, i) => alert(i, i < 3 || i % 5 !== 0 ? 'Terminal shell in container' : 'Write below etc'));
    const plan = planMessages(batch, options);
    expect(plan).toHaveLength(4);
    expect(plan.slice(0, 3).map((p) => p.alerts)).toEqual([[0], [1], [2]]);
    expect(plan[3]?.alerts).toEqual(Array.from({ length: 37 }, (_, i) => i + 3));
    expect(plan[3]?.message.attachments[0]?.fallback).toBe('and 37 more: Terminal shell in container ×30, Write below etc ×7');
  });
});

describe('summaryMessage', () => {
  it('names each rule with its count, is coloured like the highest priority, lists priorities, hosts and the time span', () => {
    const folded = [alert(1, 'B', 'Notice'), alert(2, 'A', 'Critical'), alert(3, 'B', 'Warning'), alert(4, 'C', 'Notice')];
    expect(summaryMessage(folded, options)).toEqual({
      username: 'Falcosidekick',
      icon_url: 'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png',
      attachments: [
        {
          fallback: 'and 4 more: B ×2, A ×1, C ×1',
          color: '#ff5400',
          text: 'and 4 more: B ×2, A ×1, C ×1\n_Folded into one message to stay within Slack\'s rate limit of about one message per second._',
          fields: [
            { title: 'priority', value: 'Critical ×1, Warning ×1, Notice ×2', short: false },
            { title: 'hostname', value: 'node-1, node-0', short: false },
            { title: 'time', value: '2026-11-20 10:21:11.5 +0000 UTC – 2026-11-20 10:21:14.5 +0000 UTC', short: false },
          ],
          footer: 'https://github.com/falcosecurity/falcosidekick',
        },
      ],
    });
  });

  it('names at most 20 rules and 5 hosts, counting the rest', () => {
    const folded = Array.from({ length: 30 }, (_, i) => alert(i, `rule-${String(i).padStart(2, '0')}`, 'Notice', `host-${i}`));
    const [attachment] = summaryMessage(folded, options).attachments;
    expect(attachment?.fallback).toBe(`and 30 more: ${Array.from({ length: 20 }, (_, i) => `rule-${String(i).padStart(2, '0')} ×1`).join(', ')}, 10 other rules ×10`);
    expect(attachment?.fields?.[1]).toEqual({ title: 'hostname', value: 'host-0, host-1, host-2, host-3, host-4 (+25 more)', short: false });
  });
});

describe('planMessages within a rate window (room)', () => {
  const batch = (n: number) => Array.from({ length: n }, (_, i) => alert(i, i % 2 ? 'a' : 'b'));
  const summaryafter3 = options; // summaryafter: 3

  it.each([1, 4, 5, 50])('every alert of a batch of %i is in exactly one message, whatever room is left', (size) => {
    for (const room of [0, 1, 2, 3, 4, Infinity]) {
      const plan = planMessages(batch(size), summaryafter3, undefined, undefined, room);
      expect(plan.flatMap((p) => p.alerts)).toEqual(Array.from({ length: size }, (_, i) => i));
      expect(plan.length).toBeLessThanOrEqual(Math.max(1, room));
    }
  });

  it('plans fewer own messages so the summary still fits; one message left: the whole batch as one summary', () => {
    expect(planMessages(batch(50), summaryafter3, undefined, undefined, 2).map((p) => p.alerts.length)).toEqual([1, 49]);
    expect(planMessages(batch(50), summaryafter3, undefined, undefined, 1).map((p) => p.alerts.length)).toEqual([50]);
    expect(planMessages(batch(4), summaryafter3, undefined, undefined, 4).map((p) => p.alerts.length)).toEqual([1, 1, 1, 1]);
    expect(planMessages(batch(1), summaryafter3, undefined, undefined, 0).map((p) => p.alerts.length)).toEqual([1]);
  });
});
