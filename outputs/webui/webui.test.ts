// webui: the exact body falcosidekick-ui's ingest takes ({"event", "outputs"}), the outputs list in
// falcosidekick's spelling read live from the running outputs, the alerts the UI would refuse kept
// back with the reason, every answer of its ingest classified, and its keys from env vars.
import { describe, expect, it } from 'vitest';
import plugin from './index.ts';
import { uiRefusal, uiUuid } from './event-check.ts';
import { enabledOutputNames } from './names.ts';
import { testAlerts } from '../../test/support/alerts.ts';
import { falcosidekickBody } from '../../test/support/json-post.ts';
import { againstReceiver, connectPlugin } from '../../test/support/plugin-harness.ts';
import { configFromEnv } from '../../test/support/config.ts';
import { WebUiReceiver } from '../../test/support/webui-receiver.ts';
import type { Behaviour } from '../../test/support/receiver.ts';

const UUIDS = ['0b8f5a4e-7c1d-4e2a-9f3b-5d6c7e8f9a0b', '1c9a6b5f-8d2e-4f3b-a04c-6e7d8f9a0b1c'];
const alerts = () => testAlerts(2).map((a, i) => ({ ...a, uuid: UUIDS[i] as string }));
const expectedEvent = (i: number) => falcosidekickBody(i).replace(`"uuid":"alert-${i}"`, `"uuid":"${UUIDS[i]}"`);

describe('webui body', () => {
  it('POSTs {"event": <the alert>, "outputs": [...]} to the URL as given, one request per alert, with falcosidekick\'s content type', async () => {
    const ui = await new WebUiReceiver().start();
    const running = [{ name: 'webhook', type: 'webhook' }, { name: 'webui', type: 'webui' }];
    const harness = await connectPlugin(plugin, { url: ui.url() }, { outputs: () => running });
    try {
      expect(await harness.send(alerts())).toEqual({ kind: 'partial', items: [{ kind: 'ok' }, { kind: 'ok' }] });
      expect(ui.requests.map((r) => [r.path, r.status, r.body])).toEqual([
        ['/api/v1/', 200, `{"event":${expectedEvent(0)},"outputs":["Webhook","WebUI"]}`],
        ['/api/v1/', 200, `{"event":${expectedEvent(1)},"outputs":["Webhook","WebUI"]}`],
      ]);
      expect(ui.requests[0]?.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'user-agent': 'peregrine/test' });
      expect(ui.outputs).toEqual(['Webhook', 'WebUI']);
      // A reload that adds an output: the next alert names it.
      running.splice(1, 0, { name: 'soc-pager', type: 'slack' });
      await harness.send(alerts().slice(0, 1));
      expect(ui.outputs).toEqual(['Webhook', 'soc-pager', 'WebUI']);
    } finally {
      await harness.close();
      await ui.stop();
    }
  });

  it('the URL with no path is falcosidekick-ui\'s route for older falcosidekicks: posted to / as given', async () => {
    const ui = await new WebUiReceiver().start();
    const harness = await connectPlugin(plugin, { url: ui.url('') });
    try {
      await harness.send(alerts().slice(0, 1));
      expect(ui.requests.map((r) => [r.path, r.status])).toEqual([['/', 200]]);
      expect(ui.outputs).toEqual(['WebUI']);
    } finally {
      await harness.close();
      await ui.stop();
    }
  });
});

describe('webui outputs list', () => {
  it.each([
    [[['stdout', 'stdout'], ['awssqs', 'awssqs'], ['nodered', 'nodered'], ['n8n', 'n8n'], ['webui', 'webui']], ['stdout', 'AWSSQS', 'NodeRed', 'n8n', 'WebUI']],
    [[['slack', 'slack'], ['soc', 'slack'], ['otlp', 'otlp'], ['statsd', 'statsd'], ['grafanaoncall', 'grafanaoncall']], ['Slack', 'soc', 'OTLPLogs', 'StatsD', 'GrafanaOnCall']],
    [[['awssecurityhub', 'awssecurityhub'], ['webui', 'webui'], ['webui', 'webui']], ['awssecurityhub', 'WebUI']],
  ])('%j → %j', (running, names) => {
    expect(enabledOutputNames(running.map(([name, type]) => ({ name: name as string, type: type as string })))).toEqual(names);
  });
});

describe('webui: alerts falcosidekick-ui refuses (its validator answers 500, as for Redis down)', () => {
  const base = alerts()[0] as ReturnType<typeof alerts>[number];
  it.each([
    [{}, undefined],
    [{ uuid: 'alert-1' }, undefined], // sent with a UUID made from it (uiUuid)
    [{ output: '' }, 'output is empty'],
    [{ output: 'shell in /tmp/é' }, 'output has a character outside ASCII'],
    [{ output: 'tab\tand newline\n are ASCII' }, undefined],
    [{ rule: 'Shell\tin container' }, 'rule has a character outside printable ASCII'],
    [{ source: 'k8s_audit✓' }, 'source has a character outside printable ASCII'],
    [{ source: '' }, undefined],
    [{ hostname: 'nœud-1' }, 'hostname has a character outside printable ASCII'],
  ])('%j → %s', (change, reason) => {
    expect(uiRefusal({ ...base, ...change } as typeof base)).toBe(reason);
  });

  it("a sender's uuid that is not a lower-case UUID is sent as one: lower-cased, or a name-based UUID of it, the same on every retry", () => {
    expect(uiUuid(UUIDS[0] as string)).toBe(UUIDS[0]);
    expect(uiUuid((UUIDS[0] as string).toUpperCase())).toBe(UUIDS[0]);
    const made = uiUuid('alert-1');
    expect(made).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uiUuid('alert-1')).toBe(made);
    expect(uiUuid('alert-2')).not.toBe(made);
  });

  it("an alert with a sender's id reaches the UI under the UUID made from it", async () => {
    const ui = await new WebUiReceiver().start();
    const harness = await connectPlugin(plugin, { url: ui.url() });
    try {
      const [a] = alerts();
      expect(await harness.send([{ ...a, uuid: 'alert-1' } as typeof base])).toEqual({ kind: 'partial', items: [{ kind: 'ok' }] });
      expect(ui.events.map((e) => e.uuid)).toEqual([uiUuid('alert-1')]);
    } finally {
      await harness.close();
      await ui.stop();
    }
  });

  it('is dead-lettered with the reason, never sent; the others in the batch go', async () => {
    const ui = await new WebUiReceiver().start();
    const harness = await connectPlugin(plugin, { url: ui.url() });
    try {
      const [a, b] = alerts();
      const result = await harness.send([{ ...a, output: 'café' } as typeof base, b as typeof base]);
      expect(result).toEqual({ kind: 'partial', items: [{ kind: 'fail', reason: 'falcosidekick-ui would refuse it (500): output has a character outside ASCII' }, { kind: 'ok' }] });
      expect(ui.events.map((e) => e.uuid)).toEqual([UUIDS[1]]);
    } finally {
      await harness.close();
      await ui.stop();
    }
  });
});

describe('webui classification', () => {
  const t = againstReceiver(plugin, (receiver) => ({ url: receiver.url('/api/v1/') }));
  it.each<[string, string, Behaviour, boolean?]>([
    ['200 "{}"', 'ok', { kind: 'ok', body: '"{}"\n' }],
    ['400 cannot decode', 'fail', { kind: 'status', status: 400, body: '{"message":"Syntax error"}' }],
    ['404 wrong path', 'fail', { kind: 'status', status: 404, body: '{"message":"Not Found"}' }],
    ['415 content type', 'fail', { kind: 'status', status: 415, body: '{"message":"Unsupported Media Type"}' }],
    ['500 Redis down', 'retry', { kind: 'status', status: 500, body: '{"message":"connection refused"}' }],
    ['502 proxy', 'retry', { kind: 'status', status: 502 }],
    ['401 proxy auth', 'retry', { kind: 'status', status: 401 }, true],
  ])('%s → %s', async (_name, kind, behaviour, auth) => {
    const result = await t.answer(behaviour, alerts().slice(0, 1));
    expect(result.kind).toBe('partial');
    const item = (result as unknown as { items: { kind: string; auth?: boolean }[] }).items[0];
    expect(item?.kind).toBe(kind);
    if (auth) expect(item?.auth).toBe(true);
  });
});

describe('webui options', () => {
  it('loads WEBUI_URL, WEBUI_CHECKCERT, WEBUI_MUTUALTLS, WEBUI_MAXCONCURRENTREQUESTS into webui.*', () => {
    const { config } = configFromEnv({ WEBUI_URL: 'http://falcosidekick-ui:2802', WEBUI_CHECKCERT: 'false', WEBUI_MUTUALTLS: 'false', WEBUI_MAXCONCURRENTREQUESTS: '4' });
    expect(config).toMatchObject({ webui: { url: 'http://falcosidekick-ui:2802', checkcert: false, mutualtls: false, maxconcurrentrequests: 4 } });
  });
  it('off without url', () => {
    expect(plugin.enabled(plugin.schema.parse({}))).toBe(false);
  });
});
