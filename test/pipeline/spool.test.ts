// The spool end to end over real sockets: restart recovery, removed outputs, the DLQ view and CLI.
// Real sockets, fake clock: an app with a webhook that retries runs on a FakeClock, moved by settle()
// while no request is in flight; shutdown and close move it too (closeOnClock).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { falcoAlertJson } from '../support/alerts.ts';
import { startApp, type RunningApp } from '../support/app.ts';
import { NODE_COMPILE_CACHE, nodeBin, repoDir, writeConfig } from '../support/daemon.ts';
import { metricSum } from '../support/metrics.ts';
import { closeOnClock, FakeClock, settler } from '../support/fake-clock.ts';
import { Receiver } from '../support/receiver.ts';

const apps: { app: RunningApp; clock: FakeClock }[] = [];
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const { app, clock } of apps.splice(0)) await closeOnClock(app, clock).catch(() => {});
  for (const r of receivers.splice(0)) await r.stop();
});

/** An app on its own FakeClock, closed after the test; `settle(done, what)` waits for `done`, moving that clock while no request is in flight. */
async function startOnClock(yaml: string, keep = true) {
  const clock = new FakeClock();
  const app = await startApp(yaml, { clock });
  if (keep) apps.push({ app, clock });
  return { app, clock, settle: settler(clock, app) };
}

/** `app.shutdown(drainMs)` for an app on a fake clock: the drain waits on that clock. */
const shutdownOnClock = (app: RunningApp, clock: FakeClock, drainMs: number) => closeOnClock({ close: () => app.shutdown(drainMs) }, clock);

/** A receiver that is started (for its port) and stopped again: the destination is down. */
async function receiverDown(): Promise<{ receiver: Receiver; url: string; port: number }> {
  const receiver = await new Receiver().start();
  receivers.push(receiver);
  const url = receiver.url();
  const port = receiver.port;
  await receiver.stop();
  return { receiver, url, port };
}

/** falcoAlertJson(0 … n−1) each arrived once, equal to what was sent, with its exact 19-digit evt.time. */
function expectEveryAlertOnce(receiver: Receiver, n: number): void {
  const byIndex = new Map(receiver.received.map(({ body }) => [Number(/"uuid":"alert-(\d+)"/.exec(body)?.[1]), body]));
  expect([...byIndex.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  for (const [i, body] of byIndex) {
    expect(JSON.parse(body)).toEqual(JSON.parse(falcoAlertJson(i)));
    expect(body).toContain(`"evt.time":${1700000000167531875n + BigInt(i)}`);
  }
}

/**
 * Posts falcoAlertJson(0 … n−1), 100 alerts per request (a JSON array, which ingest takes as a
 * batch): the spool, its backlog and the recovery see the same n alerts at a tenth of the requests.
 */
async function postAll(app: RunningApp, n: number): Promise<void> {
  for (let from = 0; from < n; from += 100) {
    const alerts = Array.from({ length: Math.min(100, n - from) }, (_, i) => falcoAlertJson(from + i));
    expect((await app.post(`[${alerts.join(',')}]`)).status).toBe(200);
  }
}

const spoolYaml = (dir: string) => `spool:\n  enabled: true\n  dir: ${dir}\n`;
// No short timeoutms: the receiver never hangs, and a slow answer on a loaded machine would be sent twice.
const webhookYaml = (url: string) => `webhook:\n  address: ${url}\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 100\n`;

describe('spool', () => {
  it('keeps undelivered alerts across a restart and delivers them after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    const { receiver, url, port } = await receiverDown();

    // More than the queue's 1,024-alert hot depth: the tail of the recovered backlog is held compact.
    const n = 1100;
    const { app: first, clock } = await startOnClock(spoolYaml(dir) + webhookYaml(url), false);
    await postAll(first, n);
    expect(first.spool?.backlog()).toEqual({ webhook: n });
    await shutdownOnClock(first, clock, 100);

    await receiver.start(port);
    const { app: second, settle } = await startOnClock(spoolYaml(dir) + webhookYaml(url));
    await settle(() => receiver.received.length === n, `${n} received`, 50, 45_000);
    expectEveryAlertOnce(receiver, n);
    await settle(() => Object.keys(second.spool?.backlog() ?? {}).length === 0, 'spool empty');
  }, 60_000); // 1,100 alerts through the spool: a minute on a loaded 2-core machine, seconds on an idle one

  it('with the spool on, the spool bounds the backlog: a full memory queue sheds nothing acknowledged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    const { receiver, url, port } = await receiverDown();
    const { app, settle } = await startOnClock(`${spoolYaml(dir)}${webhookYaml(url)}  queue:\n    maxalerts: 10\n`);
    const n = 200;
    await postAll(app, n);
    expect(await metricSum(app.metrics.registry, 'peregrine_dropped_total')).toBe(0);
    expect(app.spool?.backlog()).toEqual({ webhook: n });
    await receiver.start(port);
    await settle(() => receiver.received.length === n, `${n} received`, 50, 45_000);
    expectEveryAlertOnce(receiver, n);
  }, 60_000); // 1,100 alerts through the spool: a minute on a loaded 2-core machine, seconds on an idle one

  it('delivers a backlog read back from the spool, exact, once the destination is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    const { receiver, url, port } = await receiverDown();

    // Past the queue's 1,024-alert hot depth the queue holds spool ids only.
    const n = 1100;
    const { app, settle } = await startOnClock(spoolYaml(dir) + webhookYaml(url));
    await postAll(app, n);
    await receiver.start(port);
    await settle(() => receiver.received.length === n, `${n} received`, 50, 45_000);
    expectEveryAlertOnce(receiver, n);
    await settle(() => Object.keys(app.spool?.backlog() ?? {}).length === 0, 'spool empty');
  }, 60_000); // 1,100 alerts through the spool: a minute on a loaded 2-core machine, seconds on an idle one

  it('dead-letters the backlog of an output removed from the config, and shows it at /dlq', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    const { app: first, clock } = await startOnClock(spoolYaml(dir) + webhookYaml('http://127.0.0.1:9/unreachable'), false);
    for (let i = 0; i < 5; i++) await first.post(falcoAlertJson(i, 'Critical'));
    await shutdownOnClock(first, clock, 50);

    const { app: second } = await startOnClock(`${spoolYaml(dir)}ingest:\n  token: t\nstdout:\n  enabled: false\n`);
    expect(second.deadLetters.size()).toBe(5);
    const denied = await request(`${second.url}/dlq`);
    expect(denied.statusCode).toBe(401);
    await denied.body.dump();
    const res = await request(`${second.url}/dlq?output=webhook&limit=2`, { headers: { authorization: 'Bearer t' } });
    const body = (await res.body.json()) as { total: number; entries: { output: string; reason: string; alert: { priority: string } }[] };
    expect(body.total).toBe(5);
    expect(body.entries).toHaveLength(2);
    expect(body.entries[0]).toMatchObject({ output: 'webhook', reason: 'output_removed', alert: { priority: 'Critical' } });
  });

  it('peregrine dlq list / replay / purge work on the spool file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-spool-'));
    const receiver = await new Receiver().start();
    receivers.push(receiver);
    receiver.setBehaviour(() => ({ kind: 'status', status: 400, body: '{"error":"bad field"}' }));
    const { app, clock, settle } = await startOnClock(spoolYaml(dir) + webhookYaml(receiver.url()), false);
    for (let i = 0; i < 3; i++) await app.post(falcoAlertJson(i, 'Error'));
    await settle(() => app.deadLetters.size() === 3, '3 dead-lettered');
    await shutdownOnClock(app, clock, 100);
    expect(receiver.received).toHaveLength(0); // it holds only what was answered 2xx

    const config = writeConfig(spoolYaml(dir) + webhookYaml(receiver.url()));
    const cli = (...args: string[]) => execFileSync(nodeBin, [join(repoDir, 'src/main.ts'), 'dlq', ...args, '-c', config], { encoding: 'utf8', env: { ...process.env, NODE_COMPILE_CACHE }, stdio: ['ignore', 'pipe', 'pipe'] });
    const listed = cli('list', '--output', 'webhook');
    // the rows alone on stdout (the count goes to stderr): `| cut -f1` reads ids only
    expect(listed.trim().split('\n')).toHaveLength(3);
    expect(listed).toMatch(/webhook\trejected\tError\tTerminal shell in container\tHTTP 400: \{"error":"bad field"\}/);
    expect(cli('replay', '--output', 'webhook')).toMatch(/^3 dead letter\(s\) put back/);

    receiver.setBehaviour(() => ({ kind: 'ok' }));
    const { settle: settleAgain } = await startOnClock(spoolYaml(dir) + webhookYaml(receiver.url()));
    await settleAgain(() => receiver.received.length === 3, '3 replayed');
    expect(cli('purge')).toMatch(/^0 dead letter/);
  });
});
