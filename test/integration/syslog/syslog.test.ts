// syslog against a real rsyslogd (imtcp + imudp), read back from the JSON lines its template writes:
// what rsyslog parsed (PRI, facility, severity, timestamp, hostname, tag, pid) and the message,
// byte for byte, over TCP and UDP, json and cef; every priority's severity; 1,000 alerts through
// batched TCP writes; and rsyslog stopped and started again: the alerts of the outage are retried
// and delivered once it is back, each once.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toAlert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { serializeAlert } from '../../../src/alert/serialize.ts';
import type { RsyslogInfra, RsyslogMessage } from '../../infra/rsyslog/state.ts';
import { infraSkipped, repoDir, stateDir, useInfra } from '../../infra/state.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { expectExactAlerts, postInOrder, runAlertJson } from '../../support/exact.ts';
import { fixtureText } from '../../support/fixtures.ts';
import { waitFor } from '../../support/receiver.ts';

const run = promisify(execFile);
const HOST = hostname();
const TAG = `Falco[${process.pid}]:`;

/** What rsyslog wrote for alerts of this run (its readiness probes and other runs left out). */
function received(rs: RsyslogInfra, marker: string): RsyslogMessage[] {
  return readFileSync(rs.messages, 'utf8')
    .split('\n')
    .filter((line) => line.includes(marker))
    .map((line) => JSON.parse(line) as RsyslogMessage);
}

/** The CEF text falcosidekick writes for alert i of a run (runAlertJson), output fields sorted. */
function cefOf(run: string, i: number): string {
  return (
    `CEF:0|Falcosecurity|Falco|1.0|Falco Event|Terminal shell in container|4|uuid=${run}-${i} start=2026-11-20T10:21:36Z ` +
    'msg=10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id) ' +
    `source=syscall hostname=node-1 outputfields=container.id:1f0a2e5c8d3b evt.time:${1700000000167531875n + BigInt(i)} k8s.ns.name:default ` +
    'k8s.pod.name:web-7d9 proc.aname[2]:<nil> proc.cmdline:sh -c id user.name:root tags=T1059,container,mitre_execution,shell'
  );
}

/** rsyslog's reading of one of our lines: facility kern, the severity, our header, the text after "TAG: ". */
function expectParsed(m: RsyslogMessage, input: 'tcp' | 'udp', severity: number, time: string, text: string): void {
  expect(m).toEqual({
    input,
    pri: String(severity),
    facility: '0',
    severity: String(severity),
    timereported: time,
    hostname: HOST,
    syslogtag: TAG,
    programname: 'Falco',
    procid: String(process.pid),
    msg: ` ${text}`,
    rawmsg: `<${severity}>${time} ${HOST} ${TAG} ${text}`,
  });
}

describe.skipIf(infraSkipped('rsyslog'))('syslog against rsyslog', () => {
  let rs: RsyslogInfra;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    rs = await useInfra<RsyslogInfra>('rsyslog');
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function start(protocol: 'tcp' | 'udp', format: 'json' | 'cef', extra = ''): Promise<RunningApp> {
    const port = protocol === 'tcp' ? rs.tcpPort : rs.udpPort;
    const app = await startApp(`syslog:\n  host: ${rs.host}\n  port: "${port}"\n  protocol: ${protocol}\n  format: ${format}\n  retry:\n    initialbackoffms: 50\n    maxbackoffms: 300\n${extra}`);
    apps.push(app);
    return app;
  }
  const delivered = (app: RunningApp) => app.workers.find((w) => w.name === 'syslog')?.healthSnapshot().delivered ?? -1;

  describe.each([
    ['tcp', 1000],
    ['udp', 50],
  ] as const)('over %s', (protocol, count) => {
    it(`json: ${count} alerts, rsyslog reads our header and the alert JSON exactly`, async () => {
      const marker = `sj-${protocol}-${randomUUID().slice(0, 8)}`;
      const app = await start(protocol, 'json');
      await postInOrder(app, marker, count);
      await waitFor(() => delivered(app) === count, 60_000, `${count} deliveries`);
      await waitFor(() => received(rs, marker).length >= count, 20_000, `${count} messages in rsyslog`);
      const messages = received(rs, marker);
      expectExactAlerts(messages.map((m) => m.msg.slice(1)), marker, count, { ordered: protocol === 'tcp' });
      for (const m of messages) {
        const i = Number(new RegExp(`"uuid":"${marker}-(\\d+)"`).exec(m.msg)?.[1]);
        const json = serializeAlert(toAlert(parseJson(runAlertJson(marker, i)) as AlertInput));
        expectParsed(m, protocol, 5, '2026-11-20T10:21:36Z', json);
      }
    });

    it('cef: rsyslog reads falcosidekick\'s CEF text exactly', async () => {
      const marker = `sc-${protocol}-${randomUUID().slice(0, 8)}`;
      const app = await start(protocol, 'cef');
      await postInOrder(app, marker, 20);
      await waitFor(() => received(rs, marker).length >= 20, 20_000, '20 messages in rsyslog');
      const messages = received(rs, marker);
      expect(messages).toHaveLength(20);
      const byUuid = new Map(messages.map((m) => [/uuid=(\S+)/.exec(m.msg)?.[1], m]));
      for (let i = 0; i < 20; i++) expectParsed(byUuid.get(`${marker}-${i}`) as RsyslogMessage, protocol, 5, '2026-11-20T10:21:36Z', cefOf(marker, i));
    });

    it('every Falco priority: facility kern, its severity, the alert time (with its offset) as the timestamp', async () => {
      const marker = `sp-${protocol}-${randomUUID().slice(0, 8)}`;
      const app = await start(protocol, 'json');
      const inputs = parseJson(fixtureText('alerts/priorities.json')) as Record<string, unknown>[];
      expect((await app.post(inputs.map((a, i) => ({ ...a, uuid: `${marker}-${i}` })))).status).toBe(200);
      await waitFor(() => received(rs, marker).length >= inputs.length, 20_000, 'one message per priority');
      const rows = received(rs, marker).map((m) => [(JSON.parse(m.msg) as { priority: string }).priority, m.facility, m.severity, m.timereported]);
      expect(rows.sort((a, b) => Number(a[2]) - Number(b[2]))).toEqual([
        ['Emergency', '0', '0', '2026-11-20T10:21:36Z'],
        ['Alert', '0', '1', '2026-11-20T10:21:37Z'],
        ['Critical', '0', '2', '2026-11-20T10:21:38Z'],
        ['Error', '0', '3', '2026-11-20T10:21:39Z'],
        ['Warning', '0', '4', '2026-11-20T12:21:40+02:00'],
        ['Notice', '0', '5', '2026-11-20T10:21:36Z'],
        ['Informational', '0', '6', '2026-11-20T10:21:41Z'],
        ['Debug', '0', '7', '2026-11-20T10:21:42Z'],
      ]);
    });

    it('rsyslog stopped and started again: the alerts sent meanwhile are retried, then delivered, each once', { timeout: 90_000 }, async () => {
      const marker = `so-${protocol}-${randomUUID().slice(0, 8)}`;
      const app = await start(protocol, 'json');
      const worker = app.workers.find((w) => w.name === 'syslog');
      await postInOrder(app, marker, 5);
      await waitFor(() => delivered(app) === 5 && received(rs, marker).length === 5, 20_000, 'five before the outage');
      const before = received(rs, marker);

      const infra = (step: string, env: Record<string, string> = {}) =>
        run('bash', [join(repoDir, 'test/infra/infra.sh'), 'rsyslog', step], { env: { ...process.env, PEREGRINE_IT_STATE: stateDir, ...env } });
      await infra('stop');
      try {
        // One alert alone first (over UDP only the refusal that comes back after the send tells it
        // went nowhere), then four together.
        expect((await app.post(runAlertJson(marker, 5))).status).toBe(200);
        await waitFor(() => (worker?.healthSnapshot().consecutiveFailures ?? 0) >= 2, 20_000, 'refused sends');
        const later = Array.from({ length: 4 }, (_, i) => runAlertJson(marker, 6 + i));
        expect((await app.post(`[${later.join(',')}]`)).status).toBe(200);
        await waitFor(() => (worker?.healthSnapshot().consecutiveFailures ?? 0) >= 3, 20_000, 'more refused sends');
        expect(worker?.healthSnapshot()).toMatchObject({ delivered: 5, deadLettered: 0, lastError: expect.stringContaining('ECONNREFUSED') });
      } finally {
        await infra('start', { RSYSLOG_TCP_PORT: String(rs.tcpPort), RSYSLOG_UDP_PORT: String(rs.udpPort) });
      }
      await waitFor(() => delivered(app) === 10, 30_000, 'the five of the outage delivered');
      await waitFor(() => received(rs, marker).length >= 10, 20_000, 'ten in rsyslog');
      const all = received(rs, marker);
      expect(all.slice(0, 5)).toEqual(before);
      // Each once; not in order: after a failed batch the core probes with one alert at a time.
      expectExactAlerts(all.map((m) => m.msg.slice(1)), marker, 10);
      expect(worker?.healthSnapshot()).toMatchObject({ delivered: 10, deadLettered: 0 });
    });
  });

  it('udp: an alert too large for one datagram is dead-lettered with the reason; the others are delivered', async () => {
    const marker = `sb-${randomUUID().slice(0, 8)}`;
    const app = await start('udp', 'json');
    const huge = runAlertJson(marker, 1).replace('"output":"', `"output":"${'x'.repeat(70_000)}`);
    expect((await app.post(`[${runAlertJson(marker, 0)},${huge},${runAlertJson(marker, 2)}]`)).status).toBe(200);
    await waitFor(() => app.deadLetters.size() === 1 && delivered(app) === 2, 20_000, 'two delivered, one dead letter');
    expect(app.deadLetters.list()[0]).toMatchObject({ detail: expect.stringMatching(/^the syslog line is 70\d{3} bytes, more than a UDP datagram holds \(65507\): use protocol tcp/) });
    await waitFor(() => received(rs, marker).length >= 2, 20_000, 'two in rsyslog');
    expect(received(rs, marker).map((m) => /"uuid":"([^"]+)"/.exec(m.msg)?.[1])).toEqual([`${marker}-0`, `${marker}-2`]);
  });

  it('tcp: an alert of 200 KB arrives whole (rsyslog set to 256k messages; its default is 8k)', async () => {
    const marker = `sl-${randomUUID().slice(0, 8)}`;
    const app = await start('tcp', 'json');
    const large = runAlertJson(marker, 0).replace('"output":"', `"output":"${'y'.repeat(200_000)}`);
    expect((await app.post(large)).status).toBe(200);
    await waitFor(() => received(rs, marker).length >= 1, 20_000, 'the large message');
    const [m] = received(rs, marker);
    expect(m?.msg.slice(1)).toBe(serializeAlert(toAlert(parseJson(large) as AlertInput)));
  });
});
