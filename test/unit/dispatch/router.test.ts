import { describe, expect, it } from 'vitest';
import { Router } from '../../../src/dispatch/router.ts';
import type { OutputWorker } from '../../../src/dispatch/worker.ts';
import { compileMatch, MATCH_ALL } from '../../../src/routing/compile.ts';
import { compileRoute } from '../../../src/routing/route.ts';
import { alert } from '../../support/worker-harness.ts';

/** A worker that records what was queued on it: priority, bytes, received time and spool id. */
function recorder(name: string) {
  const got: { priority: string; bytes: number; receivedAt: number; spoolId?: number }[] = [];
  const worker = {
    name,
    enqueue: (a: { priority: string }, bytes: number, receivedAt: number, spooled?: { spoolId: number }) =>
      got.push({ priority: a.priority, bytes, receivedAt, ...(spooled ? { spoolId: spooled.spoolId } : {}) }),
  } as unknown as OutputWorker;
  return { worker, got, priorities: () => got.map((g) => g.priority) };
}

describe('Router', () => {
  it('sends each alert only to outputs whose minimumpriority it meets', () => {
    const all = recorder('all');
    const warn = recorder('warn');
    const crit = recorder('crit');
    const router = new Router([
      { worker: all.worker, filter: compileRoute('', MATCH_ALL) },
      { worker: warn.worker, filter: compileRoute('warning', MATCH_ALL) },
      { worker: crit.worker, filter: compileRoute('CRITICAL', MATCH_ALL) },
    ]);
    for (const p of ['Debug', 'Notice', 'Warning', 'Error', 'Critical', 'Emergency'] as const) {
      const a = alert(p);
      router.deliver(router.targets(a), a, 10, 0);
    }
    expect(all.priorities()).toEqual(['Debug', 'Notice', 'Warning', 'Error', 'Critical', 'Emergency']);
    expect(warn.priorities()).toEqual(['Warning', 'Error', 'Critical', 'Emergency']);
    expect(crit.priorities()).toEqual(['Critical', 'Emergency']);
  });

  it('targets names the matching workers in config order and queues nothing; deliver queues on exactly those', () => {
    const all = recorder('all');
    const crit = recorder('crit');
    const warn = recorder('warn');
    const router = new Router([
      { worker: all.worker, filter: compileRoute('', MATCH_ALL) },
      { worker: crit.worker, filter: compileRoute('critical', MATCH_ALL) },
      { worker: warn.worker, filter: compileRoute('warning', MATCH_ALL) },
    ]);
    const a = alert('Error');
    const targets = router.targets(a);
    expect(targets.map((w) => w.name)).toEqual(['all', 'warn']);
    expect([...all.got, ...crit.got, ...warn.got]).toEqual([]);
    expect(router.workers.map((w) => w.name)).toEqual(['all', 'crit', 'warn']);

    // What the spool recorded is what is queued: the targets passed in, not the filters again.
    router.deliver(targets.slice(1), a, 123, 456, 7);
    expect(all.got).toEqual([]);
    expect(warn.got).toEqual([{ priority: 'Error', bytes: 123, receivedAt: 456, spoolId: 7 }]);
    router.deliver(targets, a, 5, 6);
    expect(all.got).toEqual([{ priority: 'Error', bytes: 5, receivedAt: 6 }]);
  });

  it('combines minimumpriority with match: both must hold, and explain names the first that fails', () => {
    const filter = compileRoute('warning', compileMatch({ priority: '<=error' }));
    expect(filter.test(alert('Notice'))).toBe(false);
    expect(filter.explain(alert('Notice'))).toBe('minimumpriority: Notice is below Warning');
    expect(filter.test(alert('Error'))).toBe(true);
    expect(filter.explain(alert('Critical'))).toBe('priority Critical is above <=error');
  });

  it('lets only the /test alert bypass the filters', () => {
    const crit = recorder('crit');
    const router = new Router([{ worker: crit.worker, filter: compileRoute('Critical', MATCH_ALL) }]);
    expect(router.targets(alert('Debug'))).toEqual([]);
    expect(router.targets(alert('Debug'), true)).toEqual([crit.worker]);
  });
});
