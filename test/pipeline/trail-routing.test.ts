// The routing decision a trail shows is the one made when the alert arrived: a config reload
// changes neither why an old alert was not routed nor the outputs it lists. An alert that noise
// control alone held back is suppressed, not "not routed". Both stores, through the console API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app.ts';
import { ADMIN, CONSOLE_YAML, alertJson, api } from '../support/console.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

let app: RunningApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  await receiver?.stop();
  app = receiver = undefined;
});

type Trail = { trail: { outputs: { output: string; routed: boolean; state: string; reason?: string }[] } };
type Page = { alerts: { uuid: string; states: Record<string, string> }[] };

const spoolYaml = () => `spool:\n  enabled: true\n  dir: ${mkdtempSync(join(tmpdir(), 'peregrine-trail-routing-'))}\n`;

describe.each(['memory', 'spool'] as const)('routing decisions in the trail, %s', (store) => {
  const start = async (outputs: (url: string) => string, extra = '') => {
    receiver = await new Receiver().start();
    const base = `${store === 'spool' ? spoolYaml() : ''}${CONSOLE_YAML}${extra}`;
    const url = receiver.url();
    app = await startApp(`${base}outputs:\n${outputs(url)}`);
    return { a: app, base, url };
  };
  const trail = async (a: RunningApp, uuid: string) =>
    (await api<Trail>(a.url, `/api/v1/alerts/${uuid}`, { token: ADMIN })).body.trail.outputs.map((o) => [o.output, o.state, o.reason]);
  const page = async (a: RunningApp, query: string) => (await api<Page>(a.url, `/api/v1/alerts?${query}`, { token: ADMIN })).body.alerts;

  it('keeps the reason and the outputs of the config the alert arrived under after a reload', async () => {
    const { a, base, url } = await start((u) => `  a:\n    type: webhook\n    address: ${u}\n    minimumpriority: critical\n`);
    expect((await a.post(alertJson({ uuid: 'warning-1', priority: 'Warning', rule: 'R1' }))).status).toBe(200);
    expect((await a.post(alertJson({ uuid: 'critical-1', priority: 'Critical', rule: 'R1' }))).status).toBe(200);
    await waitFor(() => receiver?.received.length === 1);
    const before = await trail(a, 'warning-1');
    expect(before).toEqual([['a', 'not_routed', 'minimumpriority: Warning is below Critical']]);

    // The new config would take warning-1 on `a`, and adds `b`: neither changes what happened to it.
    a.rewrite(`${base}outputs:\n  a:\n    type: webhook\n    address: ${url}\n    match: {rule: other}\n  b:\n    type: webhook\n    address: ${url}\n`);
    expect((await a.reloader.reload('api')).ok).toBe(true);
    expect(await trail(a, 'warning-1')).toEqual(before);
    expect((await trail(a, 'critical-1')).map(([output]) => output)).toEqual(['a']);
    const listed = Object.fromEntries((await page(a, 'limit=10')).map((s) => [s.uuid, s.states]));
    expect(listed['warning-1']).toEqual({ a: 'not_routed' });
    expect(Object.keys(listed['critical-1'] ?? {})).toEqual(['a']);

    // An alert after the reload: the new config's reasons and outputs.
    expect((await a.post(alertJson({ uuid: 'warning-2', priority: 'Warning', rule: 'R1' }))).status).toBe(200);
    await waitFor(() => receiver?.received.length === 2);
    expect(await trail(a, 'warning-2')).toContainEqual(['a', 'not_routed', 'rule "R1" matches none of ["other"]']);
    expect((await trail(a, 'warning-2')).map(([output]) => output).sort()).toEqual(['a', 'b']);
    expect((await page(a, 'state=not_routed')).map((s) => s.uuid)).toEqual(['warning-2', 'warning-1']);
  });

  it('lists an alert that only noise control held back as suppressed, not as not routed', async () => {
    const silence = 'silences:\n  - match: {rule: Silenced}\n    for: 1h\n    reason: maintenance\n';
    const { a } = await start((u) => `  a:\n    type: webhook\n    address: ${u}\n    minimumpriority: critical\n`, silence);
    expect((await a.post(alertJson({ uuid: 'warning', priority: 'Warning', rule: 'R1' }))).status).toBe(200);
    expect((await a.post(alertJson({ uuid: 'silenced', priority: 'Critical', rule: 'Silenced' }))).status).toBe(200);
    expect((await trail(a, 'silenced'))[0]?.slice(0, 2)).toEqual(['a', 'suppressed']);
    expect((await page(a, 'state=not_routed')).map((s) => s.uuid)).toEqual(['warning']);
    expect((await page(a, 'state=suppressed')).map((s) => s.uuid)).toEqual(['silenced']);
    expect((await page(a, 'output=a&state=suppressed')).map((s) => s.uuid)).toEqual(['silenced']);
  });
});
