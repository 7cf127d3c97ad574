// Routing end to end: four named instances (two webhooks, Splunk HEC, stdout) behind the real app,
// 200 varied alerts posted over HTTP; each receiver gets exactly the alerts an independent oracle
// (plain code below, not the matcher) says it should, checked uuid by uuid, once each.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { Receiver, waitFor, type Received } from '../support/receiver.ts';

const TOKEN = '11111111-2222-3333-4444-555555555555';
const PRIORITIES = ['Debug', 'Informational', 'Notice', 'Warning', 'Error', 'Critical', 'Alert', 'Emergency'];
const RULES = [
  'Terminal shell in container',
  'Drop and execute new binary in container',
  'Contact K8S API Server From Container',
  'Read sensitive file untrusted',
  'Attach/Exec Pod',
];
const NAMESPACES = ['team-a-web', 'team-a-db', 'team-b', 'prod-eu', 'payments', 'default', null];

interface Sent {
  uuid: string;
  rank: number;
  rule: string;
  source: string;
  hostname: string;
  ns: string | null;
  tags: string[];
}

function alerts(): { body: Record<string, unknown>; sent: Sent }[] {
  return Array.from({ length: 200 }, (_, i) => {
    const rank = (i * 3 + Math.floor(i / 8)) % 8;
    const name = PRIORITIES[rank] as string;
    const sent: Sent = {
      uuid: `route-${i}`,
      rank,
      rule: RULES[i % RULES.length] as string,
      source: i % 4 === 3 ? 'k8s_audit' : 'syscall',
      hostname: i % 3 === 0 ? `worker-${i % 7}` : `node-${i % 9}`,
      ns: NAMESPACES[(i * 5) % NAMESPACES.length] as string | null,
      tags: i % 2 ? ['T1059', 'mitre_execution'] : ['T1098', 'container'],
    };
    const body = {
      uuid: sent.uuid,
      // Any letter case and the Info alias, as Falco and users write them.
      priority: i % 5 === 0 ? name.toUpperCase() : name === 'Informational' && i % 2 ? 'Info' : name,
      rule: sent.rule,
      time: '2026-11-20T10:21:36.167531875Z',
      source: sent.source,
      hostname: sent.hostname,
      tags: sent.tags,
      output: `${name} ${sent.rule}`,
      output_fields: { 'k8s.ns.name': sent.ns, 'evt.time': 1700000000167531875n + BigInt(i), 'proc.aname[2]': i % 6 ? 'containerd-shim' : null },
    };
    return { body, sent };
  });
}

// The oracle: what each instance's config below says, in plain code.
const CRITICAL = 5;
const NOTICE = 2;
const expected = {
  'soc-pager': (a: Sent) => a.rank >= CRITICAL && (a.rule === 'Terminal shell in container' || a.rule.startsWith('Drop and execute')),
  'audit-hook': (a: Sent) => a.rank >= NOTICE && (a.source === 'k8s_audit' || (a.tags.includes('T1098') && a.rule === 'Attach/Exec Pod')),
  'team-a-splunk': (a: Sent) => a.ns !== null && a.ns.startsWith('team-a-') && a.rank !== 0,
  siem: (a: Sent) => a.hostname.startsWith('node-') || a.ns === null,
};

const CONFIG = (hook1: Receiver, hook2: Receiver, hec: Receiver) => `customfields: {cluster: prod}
outputs:
  soc-pager:
    type: webhook
    address: ${hook1.url('/pager')}
    match:
      priority: ">=critical"
      rule: ["Terminal shell in container", "/^Drop and execute/"]
      not: {rule: ["Contact K8S API Server From Container"]}
    customfields: {channel: "#pager"}
  audit-hook:
    type: webhook
    address: ${hook2.url('/audit')}
    minimumpriority: notice
    match:
      - {source: k8s_audit}
      - {tags: {any: [T1098], none: [T1059]}, rule: "Attach/Exec Pod"}
  team-a-splunk:
    type: splunk
    hostport: http://127.0.0.1:${hec.port}
    token: ${TOKEN}
    index: team-a
    match: {fields: {k8s.ns.name: ["team-a-*"]}, not: {priority: debug}}
    batch: {maxevents: 20, flushms: 50}
  siem:
    type: stdout
    match: [{hostname: "node-*"}, {fields: {k8s.ns.name: {exists: false}}}]
`;

let app: RunningApp | undefined;
const receivers: Receiver[] = [];
const write = process.stdout.write;
afterEach(async () => {
  await app?.stop();
  process.stdout.write = write;
  for (const r of receivers.splice(0)) await r.stop();
  app = undefined;
});

async function fakeHec(): Promise<Receiver> {
  const r = await new Receiver().start();
  r.setBehaviour((req) => {
    if (req.url === '/services/collector/health') return { kind: 'status', status: 200, body: '{"text":"HEC is healthy","code":17}' };
    if (req.headers.authorization !== `Splunk ${TOKEN}`) return { kind: 'status', status: 403, body: '{"text":"Invalid token","code":4}' };
    if (req.body === '') return { kind: 'status', status: 400, body: '{"text":"No data","code":5}' };
    return { kind: 'ok', body: '{"text":"Success","code":0}' };
  });
  return r;
}

const uuidsOf = (bodies: Alert[]) => bodies.map((a) => a.uuid);
const sorted = (list: string[]) => [...list].sort();

describe('routing: four named instances, 200 alerts', () => {
  it('each receiver gets exactly its alerts, once, with its own overlay only', async () => {
    const hook1 = await new Receiver().start();
    const hook2 = await new Receiver().start();
    const hec = await fakeHec();
    receivers.push(hook1, hook2, hec);
    // stdout: the real plugin writes to process.stdout; capture the lines it writes.
    let printed = '';
    process.stdout.write = ((chunk: string | Uint8Array) => {
      printed += String(chunk);
      return true;
    }) as typeof process.stdout.write;
    app = await startApp(CONFIG(hook1, hook2, hec));

    const all = alerts();
    for (const { body } of all) expect((await app.post(JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? JSON.rawJSON(String(v)) : v)))).status).toBe(200);

    const want = Object.fromEntries(Object.entries(expected).map(([name, take]) => [name, all.filter((a) => take(a.sent)).map((a) => a.sent.uuid)]));
    // Enough of each to make the test mean something, and not everything.
    for (const uuids of Object.values(want)) expect(uuids.length).toBeGreaterThan(10);
    for (const uuids of Object.values(want)) expect(uuids.length).toBeLessThan(200);

    const pager = () => hook1.received.map((r) => JSON.parse(r.body) as Alert);
    const audit = () => hook2.received.map((r) => JSON.parse(r.body) as Alert);
    const splunk = () =>
      hec.received
        .filter((r: Received) => r.url === '/services/collector/event' && r.body !== '')
        .flatMap((r) => r.body.split('\n').map((l) => JSON.parse(l) as { index: string; event: Alert }));
    const stdout = () => printed.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Alert);
    const total = Object.values(want).reduce((n, u) => n + u.length, 0);
    await waitFor(() => pager().length + audit().length + splunk().length + stdout().length >= total, 15_000, `${total} deliveries`);
    await app.stop(); // drains: anything extra would have arrived by now

    expect(sorted(uuidsOf(pager()))).toEqual(sorted(want['soc-pager'] as string[]));
    expect(sorted(uuidsOf(audit()))).toEqual(sorted(want['audit-hook'] as string[]));
    expect(sorted(uuidsOf(splunk().map((e) => e.event)))).toEqual(sorted(want['team-a-splunk'] as string[]));
    expect(sorted(uuidsOf(stdout()))).toEqual(sorted(want.siem as string[]));

    // The pager's overlay is its own; every output sees the global customfields.
    for (const a of pager()) expect(a.output_fields).toMatchObject({ channel: '#pager', cluster: 'prod' });
    for (const a of [...audit(), ...stdout(), ...splunk().map((e) => e.event)]) {
      expect(a.output_fields).not.toHaveProperty('channel');
      expect(a.output_fields.cluster).toBe('prod');
    }
    expect(new Set(splunk().map((e) => e.index))).toEqual(new Set(['team-a']));
    // Big integers stay exact through routing and the overlay.
    expect(hook1.received[0]?.body).toMatch(/"evt\.time":17000000001675318\d\d/);

    // Metrics and /healthz per instance (the app was stopped: read its registry and workers).
    for (const [name, uuids] of Object.entries(want)) expect(await metricValue(app, 'peregrine_delivered_total', { output: name })).toBe(uuids.length);
    expect(app.workers.map((w) => w.name)).toEqual(['soc-pager', 'audit-hook', 'team-a-splunk', 'siem']);
  });

  it('/healthz reports each named instance under its name', async () => {
    const hook = await new Receiver().start();
    receivers.push(hook);
    app = await startApp(`outputs:\n  soc-pager:\n    type: webhook\n    address: ${hook.url()}\n  soc-pager-2:\n    type: webhook\n    address: ${hook.url()}\n`);
    const res = await request(`${app.url}/healthz`);
    const body = (await res.body.json()) as { outputs: Record<string, { state: string }> };
    expect(Object.keys(body.outputs)).toEqual(['soc-pager', 'soc-pager-2']);
  });
});
