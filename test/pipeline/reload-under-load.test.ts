// Hot reload under load: alerts are posted without pause while two reloads add, change and remove
// outputs. Each delivered alert carries the generation of the config that accepted it (a customfield
// that every generation sets differently, switched atomically with the routes), and the test checks,
// uuid by uuid, that every accepted alert reached exactly the outputs that generation routes it to —
// delivered once, or dead-lettered as output_removed when a later reload removed that output.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app.ts';
import { alertJson } from '../support/console.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

const PRIORITIES = ['Notice', 'Warning', 'Error', 'Critical'] as const;
const RANK: Record<string, number> = { Notice: 0, Warning: 1, Error: 2, Critical: 3 };

/** Which outputs each generation routes an alert of this priority to (the oracle, written apart from the config). */
const ROUTES: Record<string, (priority: string) => string[]> = {
  '1': (p) => ['all', ...(RANK[p] as number >= 1 ? ['warn'] : []), ...(RANK[p] as number >= 3 ? ['crit'] : [])],
  '2': (p) => ['all', ...(RANK[p] as number >= 2 ? ['warn'] : []), ...(RANK[p] === 0 ? ['info'] : [])],
  '3': (p) => ['all', ...(RANK[p] === 0 ? ['info'] : []), ...(RANK[p] as number >= 3 ? ['crit'] : [])],
};

function generation(gen: string, fast: Receiver, slow: Receiver, spool: string): string {
  const all = `  all:\n    type: webhook\n    address: ${fast.url('/all')}\n`;
  const warn1 = `  warn:\n    type: webhook\n    address: ${slow.url('/warn')}\n    minimumpriority: warning\n    maxconcurrency: 2\n`;
  // Changed: another route, a header and a timeout; the worker is rebuilt and takes over the queue.
  const warn2 = `  warn:\n    type: webhook\n    address: ${slow.url('/warn')}\n    minimumpriority: error\n    maxconcurrency: 2\n    timeoutms: 4000\n    customheaders:\n      x-gen: "2"\n`;
  const crit = `  crit:\n    type: webhook\n    address: ${fast.url('/crit')}\n    minimumpriority: critical\n`;
  const info = `  info:\n    type: webhook\n    address: ${fast.url('/info')}\n    match:\n      priority: "<=notice"\n`;
  const outputs = { '1': all + warn1 + crit, '2': all + warn2 + info, '3': all + info + crit }[gen] as string;
  return `${spool}customfields:\n  gen: "${gen}"\noutputs:\n${outputs}`;
}

describe.each([
  ['memory-only', false, undefined],
  ['spool on, commits inline', true, 'inline'],
  ['spool on, commits on the writer thread', true, 'thread'],
] as const)('reload under load (%s)', (_mode, spoolOn, spoolWriter) => {
  let app: RunningApp | undefined;
  const receivers: Receiver[] = [];
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
  });

  it('delivers or dead-letters every accepted alert exactly as the config that accepted it routed it', async () => {
    const fast = await new Receiver().start();
    // The slow output builds a backlog, so the change and the removal both find alerts queued and in flight.
    const slow = await new Receiver().start();
    slow.setBehaviour(() => ({ kind: 'ok', delayMs: 15 }));
    receivers.push(fast, slow);
    const spool = spoolOn ? `spool:\n  enabled: true\n  dir: ${mkdtempSync(join(tmpdir(), 'peregrine-reload-'))}\n` : '';
    app = await startApp(generation('1', fast, slow, spool), spoolWriter ? { spoolWriter } : {});
    const running = app;

    const accepted = new Map<string, string>(); // uuid → priority
    let posting = true;
    let n = 0;
    const poster = async () => {
      while (posting) {
        const uuid = `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}`;
        const priority = PRIORITIES[n % PRIORITIES.length] as string;
        const reply = await running.post(alertJson({ uuid, priority }));
        if (reply.status === 200) accepted.set(uuid, priority);
        else throw new Error(`alert ${uuid} refused: ${reply.status} ${reply.body}`);
      }
    };
    const posters = Promise.all([poster(), poster(), poster(), poster()]);

    await waitFor(() => accepted.size >= 200, 20_000, '200 alerts accepted under generation 1');
    running.rewrite(generation('2', fast, slow, spool));
    const second = await running.reloader.reload('api');
    expect(second).toMatchObject({ ok: true, outputs: { unchanged: ['all'], changed: ['warn'], added: ['info'], removed: ['crit'] } });
    const atSecond = accepted.size;
    await waitFor(() => accepted.size >= atSecond + 200, 20_000, '200 more alerts under generation 2');
    running.rewrite(generation('3', fast, slow, spool));
    const third = await running.reloader.reload('signal');
    expect(third).toMatchObject({ ok: true, outputs: { unchanged: ['all', 'info'], added: ['crit'], removed: ['warn'] } });
    const atThird = accepted.size;
    await waitFor(() => accepted.size >= atThird + 200, 20_000, '200 more alerts under generation 3');
    posting = false;
    await posters;
    await running.reloader.settle();
    await Promise.all(running.workers.map((w) => w.idle()));

    // What each output received, by uuid.
    const got = new Map<string, { gen: string; outputs: string[]; headers: Record<string, unknown>[] }>();
    for (const r of [...fast.received, ...slow.received]) {
      const alert = JSON.parse(r.body) as { uuid: string; output_fields: { gen: string } };
      const output = r.url.slice(1);
      const entry = got.get(alert.uuid) ?? { gen: '', outputs: [], headers: [] };
      if (output === 'all') entry.gen = alert.output_fields.gen;
      entry.outputs.push(output);
      entry.headers.push({ output, gen: alert.output_fields.gen, xgen: r.headers['x-gen'] });
      got.set(alert.uuid, entry);
    }
    const dead = new Map<string, string[]>();
    for (const d of running.deadLetters.list({ limit: 100_000 })) {
      expect(d.reason).toBe('output_removed');
      dead.set(d.alert.uuid, [...(dead.get(d.alert.uuid) ?? []), d.output]);
    }

    const wrong: string[] = [];
    const byGen: Record<string, number> = {};
    for (const [uuid, priority] of accepted) {
      const entry = got.get(uuid);
      if (!entry || entry.gen === '') {
        wrong.push(`${uuid}: never reached the catch-all output`);
        continue;
      }
      byGen[entry.gen] = (byGen[entry.gen] ?? 0) + 1;
      const expected = (ROUTES[entry.gen] as (p: string) => string[])(priority).sort();
      const ended = [...entry.outputs, ...(dead.get(uuid) ?? [])].sort();
      if (JSON.stringify(ended) !== JSON.stringify(expected)) wrong.push(`${uuid} (${priority}, generation ${entry.gen}): expected ${expected.join(',')}, got ${ended.join(',')}`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(Object.keys(byGen).sort()).toEqual(['1', '2', '3']);
    // The rebuilt output carried generation-1 alerts over and sent them with its new settings.
    const carried = slow.received.filter((r) => r.headers['x-gen'] === '2' && (JSON.parse(r.body) as { output_fields: { gen: string } }).output_fields.gen === '1');
    expect(carried.length).toBeGreaterThan(0);
    // The removed slow output had a backlog: it went to the dead letters, named.
    expect([...dead.values()].flat().filter((o) => o === 'warn').length).toBeGreaterThan(0);
    expect(running.workers.map((w) => w.name)).toEqual(['all', 'info', 'crit']);
  }, 60_000);
});
