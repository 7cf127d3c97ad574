// The loki output against a real Loki push API: VictoriaLogs (test/infra/victorialogs/), read back
// through its LogsQL query API — every alert once, its exact nanosecond time, its line, its stream
// labels as falcosidekick sets them.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { distinctAlert } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { waitFor } from '../../support/receiver.ts';
import { LOKI_PUSH_PATH, timeNanos, type VictoriaLogsInfra, waitForLogs } from '../../infra/victorialogs/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;

async function postAll(target: RunningApp, jsons: readonly string[], parallel = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < jsons.length) {
        const res = await target.post(jsons[next++] as string);
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${res.body}`);
      }
    }),
  );
}

/** Waits until every alert is settled (delivered or dead-lettered), then expects none dead-lettered. */
async function delivered(target: RunningApp, count: number): Promise<void> {
  const settled = async () =>
    (await metricValue(target, 'peregrine_delivered_total', { output: 'loki' })) + (await metricValue(target, 'peregrine_dead_lettered_total', { output: 'loki' }));
  await waitFor(async () => (await settled()) === count, 60_000, 'delivered');
  expect(target.deadLetters.list({ output: 'loki', limit: 1 }).map((d) => d.detail)).toEqual([]);
}

describe.skipIf(infraSkipped('victorialogs'))('loki output against a Loki push API (VictoriaLogs)', () => {
  let vl: VictoriaLogsInfra;
  beforeAll(async () => {
    vl = await useInfra<VictoriaLogsInfra>('victorialogs');
  });

  it('2,000 alerts (format json): each once, exact ns time, exact line, falcosidekick\'s labels, one stream per label set', async () => {
    const marker = randomUUID();
    const count = 2000;
    const alerts = Array.from({ length: count }, (_, i) => distinctAlert(marker, i, PRIORITIES[i % PRIORITIES.length]));
    app = await startApp(
      `customfields:\n  run: "${marker}"\nloki:\n  hostport: ${vl.url}\n  endpoint: "${LOKI_PUSH_PATH}"\n  format: json\n  tenant: "42"\n  extralabels: "proc.cmdline, evt.time"\n`,
    );
    await postAll(app, alerts.map((a) => a.json));
    await delivered(app, count);
    const got = await waitForLogs(vl, `{run="${marker}"}`, { count, tenant: '42' });

    expect(got).toHaveLength(count);
    // The store orders by entry time; our alert times grow with i, so this is the alert order.
    const uuids = got.map((e) => (JSON.parse(e._msg) as { uuid: string }).uuid);
    expect(uuids).toEqual(alerts.map((_, i) => `${marker}-${i}`));
    got.forEach((e, i) => {
      const { timeNs, evtTime } = alerts[i] as (typeof alerts)[number];
      const priority = PRIORITIES[i % PRIORITIES.length] as string;
      expect(timeNanos(e._time)).toBe(timeNs);
      expect(e._msg).toContain(`"evt.time":${evtTime},`); // > 2^53, written back exact
      expect(JSON.parse(e._msg)).toMatchObject({ uuid: `${marker}-${i}`, priority, rule: 'Terminal shell in container', hostname: 'node-1' });
      // evt.time is a number, not a string: no label (falcosidekick labels string values only).
      expect(e._stream).toBe(
        `{hostname="node-1",k8s_ns_name="default",k8s_pod_name="web-7d9",priority="${priority}",proc_cmdline="sh -c id",` +
          `rule="Terminal shell in container",run="${marker}",source="syscall",tags="T1059,container,mitre_execution,shell"}`,
      );
    });
    expect(new Set(got.map((e) => e._stream)).size).toBe(PRIORITIES.length);
    expect(await metricValue(app, 'peregrine_dead_lettered_total', { output: 'loki' })).toBe(0);
  }, 180_000);

  it('format text, droplabels and label names Loki accepts (sanitised customfield keys)', async () => {
    const marker = randomUUID();
    const count = 300;
    const alerts = Array.from({ length: count }, (_, i) => distinctAlert(marker, i, 'Warning'));
    app = await startApp(
      `customfields:\n  run: "${marker}"\n  team.name[0]-x: "sec\\"ops"\nloki:\n  hostport: ${vl.url}\n  endpoint: "${LOKI_PUSH_PATH}"\n  droplabels: [k8s_pod_name, tags]\n`,
    );
    await postAll(app, alerts.map((a) => a.json));
    await delivered(app, count);
    const got = await waitForLogs(vl, `{run="${marker}"}`, { count });

    expect(got).toHaveLength(count);
    got.forEach((e, i) => {
      expect(timeNanos(e._time)).toBe(alerts[i]?.timeNs);
      expect(e._msg).toBe('10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)');
      expect(e._stream).toBe(`{hostname="node-1",k8s_ns_name="default",priority="Warning",rule="Terminal shell in container",run="${marker}",source="syscall",team_name0_x="secops"}`);
    });
  }, 120_000);

  it('a push the server refuses (400: VictoriaLogs takes X-Scope-OrgID as a numeric AccountID) is dead-lettered with its reason, not retried', async () => {
    const marker = randomUUID();
    app = await startApp(`loki:\n  hostport: ${vl.url}\n  endpoint: "${LOKI_PUSH_PATH}"\n  tenant: not-a-number\n`);
    await postAll(app, [0, 1, 2].map((i) => distinctAlert(marker, i).json), 1);
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_dead_lettered_total', { output: 'loki' })) === 3, 15_000, 'dead-lettered');
    const letters = app.deadLetters.list({ output: 'loki' });
    expect(letters.map((d) => d.alert.uuid).sort()).toEqual([0, 1, 2].map((i) => `${marker}-${i}`));
    for (const d of letters) {
      expect(d).toMatchObject({ reason: 'rejected', attempts: 1 });
      expect(d.detail).toMatch(/^HTTP 400 from Loki: .*cannot parse accountID from "not-a-number"/);
    }
    expect(await metricValue(app, 'peregrine_retries_total', { output: 'loki' })).toBe(0);
  });
});
