import { describe, expect, it } from 'vitest';
import { Router } from '../../../src/dispatch/router.ts';
import type { OutputWorker } from '../../../src/dispatch/worker.ts';
import { compileMatch, MATCH_ALL } from '../../../src/routing/compile.ts';
import { compileRoute } from '../../../src/routing/route.ts';
import { alert } from '../../support/worker-harness.ts';

function recorder(name: string) {
  const got: string[] = [];
  const worker = { name, enqueue: (a: { priority: string }) => got.push(a.priority) } as unknown as OutputWorker;
  return { worker, got };
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
    for (const p of ['Debug', 'Notice', 'Warning', 'Error', 'Critical', 'Emergency'] as const) router.route(alert(p), 10, 0);
    expect(all.got).toEqual(['Debug', 'Notice', 'Warning', 'Error', 'Critical', 'Emergency']);
    expect(warn.got).toEqual(['Warning', 'Error', 'Critical', 'Emergency']);
    expect(crit.got).toEqual(['Critical', 'Emergency']);
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
    expect(router.route(alert('Debug'), 10, 0)).toBe(0);
    expect(router.route(alert('Debug'), 10, 0, true)).toBe(1);
  });
});
