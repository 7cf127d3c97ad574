// The nats output against a real nats-server (go install), read back by a subscriber: the exact
// subjects (falcosidekick's template) and payloads, in order; an alert above max_payload
// dead-lettered, the others delivered; a subject the user may not publish to (Permissions
// Violation) and a wrong password (Authorization Violation): retried, the output failing; the
// server stopped and started again: the alerts of the outage retried, then delivered, each once.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toAlert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { serializeAlert } from '../../../src/alert/serialize.ts';
import type { NatsInfra } from '../../infra/nats/state.ts';
import { infraSkipped, repoDir, stateDir, useInfra } from '../../infra/state.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { postInOrder, runAlertJson } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';

const run = promisify(execFile);
const sent = (marker: string, i: number, json = runAlertJson(marker, i)) => serializeAlert(toAlert(parseJson(json) as AlertInput));

describe.skipIf(infraSkipped('nats'))('nats output against nats-server', () => {
  let infra: NatsInfra;
  let reader: NatsConnection;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    infra = await useInfra<NatsInfra>('nats');
    reader = await connect({ servers: `${infra.host}:${infra.port}`, user: infra.reader.user, pass: infra.reader.password });
  });
  afterAll(async () => {
    await reader?.close();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  const hostport = (password = infra.password) => `nats://${infra.user}:${password}@${infra.host}:${infra.port}`;
  async function start(yaml: string): Promise<RunningApp> {
    const app = await startApp(`nats:\n${yaml}  retry:\n    initialbackoffms: 50\n    maxbackoffms: 300\n    probems: 100\n`);
    apps.push(app);
    return app;
  }
  const worker = (app: RunningApp) => app.workers.find((w) => w.name === 'nats');
  const delivered = (app: RunningApp) => worker(app)?.healthSnapshot().delivered ?? -1;

  /** Collects what arrives on `subject` (wildcards allowed): [subject, payload] pairs. */
  async function listen(subject: string): Promise<{ got: [string, string][]; sub: Subscription }> {
    const got: [string, string][] = [];
    const sub = reader.subscribe(subject, { callback: (_err, msg) => {
      got.push([msg.subject, msg.string()]);
    } });
    await reader.flush();
    return { got, sub };
  }

  it('1,000 alerts: falco.<priority>.<rule> subjects, each alert\'s JSON exactly, in order', async () => {
    const marker = `nl-${randomUUID().slice(0, 8)}`;
    const rule = `Terminal shell in container ${marker}`;
    const { got, sub } = await listen('falco.>');
    try {
      const app = await start(`  hostport: ${hostport()}\n`);
      const inputs = Array.from({ length: 1000 }, (_, i) => runAlertJson(marker, i).replace('"rule":"Terminal shell in container"', `"rule":"${rule}"`));
      for (let from = 0; from < 1000; from += 250) expect((await app.post(`[${inputs.slice(from, from + 250).join(',')}]`)).status).toBe(200);
      await waitFor(() => delivered(app) === 1000, 30_000, '1,000 deliveries');
      await waitFor(() => got.filter(([, p]) => p.includes(marker)).length >= 1000, 10_000, '1,000 messages');
      const subject = `falco.notice.terminal_shell_in_container_${marker.replace('-', '_')}`;
      expect(got.filter(([, p]) => p.includes(marker))).toEqual(inputs.map((json, i) => [subject, sent(marker, i, json)]));
    } finally {
      sub.unsubscribe();
    }
  });

  it('a custom template, every priority, rules with punctuation and capitals', async () => {
    const marker = `np${randomUUID().slice(0, 6)}`;
    const { got, sub } = await listen(`falco.${marker}.>`);
    try {
      const app = await start(`  hostport: ${hostport()}\n  subjecttemplate: "falco.${marker}.<rule>.<priority>"\n`);
      const priorities = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;
      const rules = ['Write below /etc (user=root)', '--Ünïcode rule--', 'A', 'x.y*z>w', 'Terminal shell in container', '  spaced  ', 'K8s: Secret GET', 'UPPER_lower_123'];
      const inputs = priorities.map((p, i) => runAlertJson(marker, i, { priority: p }).replace('"rule":"Terminal shell in container"', `"rule":${JSON.stringify(rules[i])}`));
      expect((await app.post(`[${inputs.join(',')}]`)).status).toBe(200);
      await waitFor(() => got.length >= 8, 10_000, 'eight messages');
      const slugs = ['write_below_etc_user_root', 'n_code_rule', 'a', 'x_y_z_w', 'terminal_shell_in_container', 'spaced', 'k8s_secret_get', 'upper_lower_123'];
      expect(got).toEqual(inputs.map((json, i) => [`falco.${marker}.${slugs[i]}.${priorities[i]?.toLowerCase()}`, sent(marker, i, json)]));
    } finally {
      sub.unsubscribe();
    }
  });

  it('an alert above the server\'s max_payload is dead-lettered; the others are delivered', async () => {
    const marker = `nm-${randomUUID().slice(0, 8)}`;
    const { got, sub } = await listen('falco.>');
    try {
      const app = await start(`  hostport: ${hostport()}\n`);
      const huge = runAlertJson(marker, 1).replace('"output":"', `"output":"${'x'.repeat(infra.maxPayload)}`);
      expect((await app.post(`[${runAlertJson(marker, 0)},${huge},${runAlertJson(marker, 2)}]`)).status).toBe(200);
      await waitFor(() => app.deadLetters.size() === 1 && delivered(app) === 2, 20_000, 'two delivered, one dead letter');
      expect(app.deadLetters.list()[0]).toMatchObject({ detail: `the alert is larger than the server's max_payload (${infra.maxPayload} bytes): 'payload' max_payload size exceeded` });
      await waitFor(() => got.filter(([, p]) => p.includes(marker)).length >= 2, 10_000, 'two messages');
      expect(got.filter(([, p]) => p.includes(marker)).map(([, p]) => p)).toEqual([sent(marker, 0), sent(marker, 2)]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('a subject the user may not publish to: Permissions Violation, retried as refused credentials (failing), nothing delivered', async () => {
    const marker = `nv-${randomUUID().slice(0, 8)}`;
    const app = await start(`  hostport: ${hostport()}\n  subjecttemplate: "denied.<priority>"\n`);
    await postInOrder(app, marker, 3);
    await waitFor(() => worker(app)?.healthSnapshot().state === 'failing', 20_000, 'failing');
    expect(worker(app)?.healthSnapshot()).toMatchObject({
      delivered: 0,
      deadLettered: 0,
      queued: 3,
      lastError: 'Permissions Violation for Publish to "denied.notice" (the NATS user may not publish to denied.notice: grant it or change nats.subjecttemplate)',
    });
  });

  it('a wrong password: Authorization Violation, failing, the password never in the reason', async () => {
    const marker = `na-${randomUUID().slice(0, 8)}`;
    const app = await start(`  hostport: ${hostport('not-the-password')}\n`);
    await postInOrder(app, marker, 2);
    await waitFor(() => worker(app)?.healthSnapshot().state === 'failing' && /Authorization/.test(worker(app)?.healthSnapshot().lastError ?? ''), 20_000, 'failing');
    const { lastError } = worker(app)?.healthSnapshot() ?? {};
    expect(lastError).toMatch(new RegExp(`^(?:healthcheck: )?nats://${infra.host}:${infra.port}: .*Authorization Violation.* \\(check the user and password, or the token, in nats.hostport\\)$`));
    expect(lastError).not.toContain('not-the-password');
  });

  it('nats-server stopped and started again: the alerts sent meanwhile are retried, then delivered, each once', { timeout: 90_000 }, async () => {
    const marker = `no-${randomUUID().slice(0, 8)}`;
    // NATS core keeps nothing for a subscriber that is not there yet (the reader reconnects after
    // the restart): a JetStream stream on disk records every message the server accepted.
    const js = async (api: string, body: unknown) => JSON.parse((await reader.request(`$JS.API.${api}`, JSON.stringify(body))).string()) as Record<string, unknown>;
    await js(`STREAM.CREATE.${marker}`, { name: marker, subjects: [`falco.${marker}.>`], storage: 'file' });
    const app = await start(`  hostport: ${hostport()}\n  subjecttemplate: "falco.${marker}.<priority>"\n`);
    await postInOrder(app, marker, 3);
    await waitFor(() => delivered(app) === 3, 20_000, 'three before the outage');
    const infraStep = (step: string, env: Record<string, string> = {}) =>
      run('bash', [join(repoDir, 'test/infra/infra.sh'), 'nats', step], { env: { ...process.env, PEREGRINE_IT_STATE: stateDir, ...env } });
    await reader.close();
    await infraStep('stop');
    try {
      expect((await app.post(`[${[3, 4, 5].map((i) => runAlertJson(marker, i)).join(',')}]`)).status).toBe(200);
      await waitFor(() => (worker(app)?.healthSnapshot().consecutiveFailures ?? 0) >= 2, 20_000, 'refused sends');
      expect(worker(app)?.healthSnapshot()).toMatchObject({ delivered: 3, deadLettered: 0, lastError: expect.stringContaining(`nats://${infra.host}:${infra.port}: `) });
    } finally {
      await infraStep('start', { NATS_PORT: String(infra.port), NATS_PASSWORD: infra.password, NATS_READER_PASSWORD: infra.reader.password });
      reader = await connect({ servers: `${infra.host}:${infra.port}`, user: infra.reader.user, pass: infra.reader.password });
    }
    await waitFor(() => delivered(app) === 6, 30_000, 'the three of the outage delivered');
    const info = await js(`STREAM.INFO.${marker}`, {});
    expect((info.state as { messages: number }).messages).toBe(6);
    const stored: [string, string][] = [];
    for (let seq = 1; seq <= 6; seq++) {
      const { message } = (await js(`STREAM.MSG.GET.${marker}`, { seq })) as { message: { subject: string; data: string } };
      stored.push([message.subject, Buffer.from(message.data, 'base64').toString('utf8')]);
    }
    await js(`STREAM.DELETE.${marker}`, {});
    expect(stored.slice(0, 3)).toEqual([0, 1, 2].map((i) => [`falco.${marker}.notice`, sent(marker, i)]));
    // Each once; not in order: after a failed batch the core probes with one alert at a time.
    expect(stored.slice(3).sort()).toEqual([3, 4, 5].map((i) => [`falco.${marker}.notice`, sent(marker, i)]).sort());
  });
});
