import { describe, expect, it } from 'vitest';
import { Router } from '../../../src/dispatch/router.ts';
import type { OutputWorker } from '../../../src/dispatch/worker.ts';
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
      { worker: all.worker, minimumpriority: '' },
      { worker: warn.worker, minimumpriority: 'warning' },
      { worker: crit.worker, minimumpriority: 'CRITICAL' },
    ]);
    for (const p of ['Debug', 'Notice', 'Warning', 'Error', 'Critical', 'Emergency'] as const) router.route(alert(p), 10, 0);
    expect(all.got).toEqual(['Debug', 'Notice', 'Warning', 'Error', 'Critical', 'Emergency']);
    expect(warn.got).toEqual(['Warning', 'Error', 'Critical', 'Emergency']);
    expect(crit.got).toEqual(['Critical', 'Emergency']);
  });

  it('lets only the /test alert bypass the filters', () => {
    const crit = recorder('crit');
    const router = new Router([{ worker: crit.worker, minimumpriority: 'Critical' }]);
    expect(router.route(alert('Debug'), 10, 0)).toBe(0);
    expect(router.route(alert('Debug'), 10, 0, true)).toBe(1);
  });
});
