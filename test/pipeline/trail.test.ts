// The delivery trail of real alerts through a running app: each final state an output can leave
// an alert in, with the trail in memory and in the spool's SQLite file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/dispatch/result.ts';
import { fail, ok, retry } from '../../src/dispatch/result.ts';
import type { OutputTrail, TrailRecord } from '../../src/trail/types.ts';
import { startApp, type RunningApp } from '../support/app.ts';
import { CONSOLE_YAML, alertJson, scriptedOutput } from '../support/console.ts';
import { waitFor } from '../support/receiver.ts';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const spoolYaml = () => `spool:\n  enabled: true\n  dir: ${mkdtempSync(join(tmpdir(), 'peregrine-trail-'))}\n`;

async function run(store: 'memory' | 'spool', core: string, decide: (rule: string, attempt: number) => Outcome | Promise<Outcome>) {
  const scripted = scriptedOutput();
  scripted.decide((alert, attempt) => decide(alert.rule, attempt));
  // The backoff's jitter at its ceiling: a retry waits the whole backoff (a random draw near 0 once
  // retried within the 60 s the retrying test waits for).
  app = await startApp(`${store === 'spool' ? spoolYaml() : ''}${CONSOLE_YAML}scripted:\n  enabled: true\n${core}`, { extraPlugins: [scripted.plugin], random: () => 1 });
  return app;
}

function output(a: RunningApp, uuid: string, name = 'scripted'): OutputTrail | undefined {
  return a.trail?.store?.get(uuid)?.outputs.find((o) => o.output === name);
}

const settled = (a: RunningApp, uuid: string, state: OutputTrail['state']) => waitFor(() => output(a, uuid)?.state === state, 10_000, `${uuid} ${state}`);

describe.each(['memory', 'spool'] as const)('delivery trail in %s', (store) => {
  it('delivered: received at, from, one ok attempt with its latency', async () => {
    const a = await run(store, '', () => ok());
    const before = Date.now();
    expect((await a.post(alertJson({ uuid: 'delivered-1', priority: 'Critical' }))).status).toBe(200);
    await settled(a, 'delivered-1', 'delivered');
    const record = a.trail?.store?.get('delivered-1') as TrailRecord;
    expect(record.from).toBe('127.0.0.1');
    expect(record.receivedAt).toBeGreaterThanOrEqual(before);
    expect(record.alert).toMatchObject({ uuid: 'delivered-1', priority: 'Critical', rule: 'Terminal shell in container' });
    expect(output(a, 'delivered-1')).toMatchObject({ routed: true, state: 'delivered', attemptCount: 1, attempts: [{ outcome: 'ok', detail: 'ok', batch: 1 }] });
    const attempt = output(a, 'delivered-1')?.attempts[0];
    expect(attempt?.at).toBeGreaterThanOrEqual(record.receivedAt);
    expect(attempt?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('retrying: the failed attempts so far and the reason, while the output keeps trying', async () => {
    const a = await run(store, '  retry:\n    initialbackoffms: 60000\n    maxbackoffms: 60000\n    probems: 0\n', () => retry('HTTP 503: down for maintenance'));
    await a.post(alertJson({ uuid: 'retrying-1' }));
    await settled(a, 'retrying-1', 'retrying');
    expect(output(a, 'retrying-1')).toMatchObject({ state: 'retrying', reason: 'HTTP 503: down for maintenance', attemptCount: 1, attempts: [{ outcome: 'retry', detail: 'HTTP 503: down for maintenance' }] });
    expect(a.trail?.store?.list({ state: 'retrying', limit: 10 }).alerts.map((s) => s.uuid)).toEqual(['retrying-1']);
  });

  it('dead-lettered: refused for good, with the destination\'s reason', async () => {
    const a = await run(store, '', () => fail('HTTP 400: mapper_parsing_exception'));
    await a.post(alertJson({ uuid: 'rejected-1' }));
    await settled(a, 'rejected-1', 'dead_lettered');
    expect(output(a, 'rejected-1')).toMatchObject({ reason: 'rejected: HTTP 400: mapper_parsing_exception', attemptCount: 1, attempts: [{ outcome: 'fail' }] });
  });

  it('dead-lettered: out of retry budget after every attempt is recorded', async () => {
    const a = await run(store, '  retry:\n    maxattempts: 3\n    initialbackoffms: 1\n    maxbackoffms: 5\n    probems: 0\n', () => retry('connect ECONNREFUSED'));
    await a.post(alertJson({ uuid: 'budget-1' }));
    await settled(a, 'budget-1', 'dead_lettered');
    const trail = output(a, 'budget-1');
    expect(trail).toMatchObject({ reason: 'retry_budget: gave up after 3 attempts: connect ECONNREFUSED', attemptCount: 3 });
    expect(trail?.attempts.map((x) => x.outcome)).toEqual(['retry', 'retry', 'retry']);
  });

  it('keeps one trail per uuid: a replayed dead letter adds its delivery to the same record', async () => {
    let accept = false;
    const a = await run(store, '', () => (accept ? ok() : fail('HTTP 422: bad')));
    await a.post(alertJson({ uuid: 'again-1' }));
    await settled(a, 'again-1', 'dead_lettered');
    accept = true;
    for (const r of a.deadLetters.replay({ output: 'scripted' })) a.workers[0]?.enqueue(r.alert, r.bytes, Date.now(), r.spoolId === undefined ? undefined : { spoolId: r.spoolId });
    await settled(a, 'again-1', 'delivered');
    expect(output(a, 'again-1')?.attempts.map((x) => x.outcome)).toEqual(['fail', 'ok']);
  });

  it('suppressed: the hook noise control will call, recorded beside the routing decision', async () => {
    const a = await run(store, '', () => ok());
    await a.post(alertJson({ uuid: 'quiet-1' }));
    await settled(a, 'quiet-1', 'delivered');
    a.trail?.suppressed(a.trail.store?.get('quiet-1')?.alert as TrailRecord['alert'], 'webhook', 'silence "maintenance" until 12:00');
    await waitFor(() => a.trail?.store?.get('quiet-1')?.outputs.some((o) => o.output === 'webhook') === true);
    expect(a.trail?.store?.get('quiet-1')?.outputs.find((o) => o.output === 'webhook')).toMatchObject({ routed: false, state: 'suppressed', reason: 'silence "maintenance" until 12:00' });
  });
});

describe('delivery trail beside the spool', () => {
  it('never makes the spool refuse an alert: its writer thread has a file of its own', async () => {
    const a = await run('spool', '', () => ok());
    const batches = Array.from({ length: 40 }, (_, b) => `[${Array.from({ length: 100 }, (_, i) => alertJson({ uuid: `load-${b}-${i}` })).join(',')}]`);
    const statuses = await Promise.all(batches.map((body) => a.post(body)));
    expect(statuses.map((r) => r.status)).toEqual(batches.map(() => 200));
    await waitFor(() => a.trail?.store?.size().alerts === 4000, 20_000, 'all 4000 trails');
  });
});

describe('delivery trail, memory-only mode', () => {
  it('shed: the queue was full and this lower-priority alert made way', async () => {
    let release: (o: Outcome) => void = () => {};
    const hold = new Promise<Outcome>((resolve) => (release = resolve));
    const a = await run('memory', '  queue:\n    maxalerts: 1\n', (rule) => (rule === 'Hold' ? hold : ok()));
    await a.post(alertJson({ uuid: 'held', rule: 'Hold', priority: 'Critical' }));
    await waitFor(() => a.workers[0]?.healthSnapshot().inflight === 1);
    await a.post(alertJson({ uuid: 'queued-critical', priority: 'Critical' }));
    await a.post(alertJson({ uuid: 'shed-notice', priority: 'Notice' }));
    expect(output(a, 'shed-notice')).toMatchObject({ state: 'shed', reason: expect.stringContaining('queue full'), attemptCount: 0 });
    expect(output(a, 'queued-critical')?.state).toBe('queued');
    release(ok());
    await settled(a, 'queued-critical', 'delivered');
    expect(output(a, 'held')?.state).toBe('delivered');
  });

  it('dropped: still queued when the shutdown deadline passed (no spool to keep it)', async () => {
    const a = await run('memory', '  retry:\n    initialbackoffms: 60000\n    maxbackoffms: 60000\n    probems: 0\n', () => retry('HTTP 503'));
    await a.post(alertJson({ uuid: 'left-1' }));
    await settled(a, 'left-1', 'retrying');
    await a.shutdown(50);
    app = undefined;
    expect(output(a, 'left-1')).toMatchObject({ state: 'dropped', reason: expect.stringContaining('shutdown deadline'), attemptCount: 1 });
  });
});
