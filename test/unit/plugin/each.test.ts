import { describe, expect, it } from 'vitest';
import { ok, retry, type Outcome } from '../../../src/dispatch/result.ts';
import { sendEach } from '../../../src/plugin/each.ts';

describe('sendEach', () => {
  it('sends in order and stops at the first retry: the alerts left unsent share one outcome, not sent (notOwn), not the failed alert\'s', async () => {
    const sent: number[] = [];
    const answers: Outcome[] = [ok(), retry('HTTP 500')];
    const result = await sendEach([0, 1, 2, 3], async (i) => {
      sent.push(i);
      return answers[i] ?? ok();
    });
    expect(sent).toEqual([0, 1]);
    if (result.kind !== 'partial') throw new Error('expected a result per alert');
    const [first, failed, rest, last] = result.items;
    expect(first?.kind).toBe('ok');
    expect(failed).toMatchObject({ kind: 'retry', reason: 'HTTP 500' });
    expect(rest).toEqual({ kind: 'retry', reason: 'not sent: the alert before it failed (HTTP 500)', notOwn: true });
    expect(rest).toBe(last);
    expect(rest).not.toBe(failed);
  });

  it('takes a thrown error as a retry, and keeps a Retry-After for the alerts left unsent', async () => {
    const result = await sendEach([0, 1], async (i) => {
      if (i === 0) return retry('HTTP 429', { afterMs: 2000 });
      throw new Error('never sent');
    });
    expect(result).toMatchObject({ kind: 'partial', items: [{ reason: 'HTTP 429', afterMs: 2000 }, { afterMs: 2000, notOwn: true }] });
    const thrown = await sendEach([0], async () => {
      throw new Error('socket hang up');
    });
    expect(thrown).toMatchObject({ kind: 'partial', items: [{ kind: 'retry', reason: 'socket hang up' }] });
  });
});
