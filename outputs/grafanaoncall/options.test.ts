// grafanaoncall's keys as falcosidekick 2.34.1 spells them, from env vars; the webhook URL (it
// carries the integration key) and the custom headers redacted; falcosidekick's body, byte for byte.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { redactConfig } from '../../src/config/redact.ts';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { outputs } from '../../test/support/outputs.ts';
import grafanaoncall, { onCallBody } from './index.ts';

const URL = 'https://oncall.example.com/integrations/v1/formatted_webhook/Int3grationKey/';
const load = (env: Record<string, string>) => loadConfig({ env: { GRAFANAONCALL_WEBHOOKURL: URL, ...env }, plugins: outputs, cwd: tmpdir() });

describe('grafanaoncall options', () => {
  it('loads GRAFANAONCALL_WEBHOOKURL, GRAFANAONCALL_CUSTOMHEADERS, GRAFANAONCALL_CHECKCERT and GRAFANAONCALL_MAXCONCURRENTREQUESTS', () => {
    const { config } = load({ GRAFANAONCALL_CUSTOMHEADERS: 'X-Source:falco,Authorization:Bearer x', GRAFANAONCALL_CHECKCERT: 'false', GRAFANAONCALL_MAXCONCURRENTREQUESTS: '4' });
    expect(config).toMatchObject({ grafanaoncall: { webhookurl: URL, customheaders: { 'x-source': 'falco', authorization: 'Bearer x' }, checkcert: false, maxconcurrentrequests: 4 } });
    expect(grafanaoncall.legacySettings?.(grafanaoncall.schema.parse({ webhookurl: URL, maxconcurrentrequests: 4 }))).toEqual({ maxconcurrency: 4 });
    expect(grafanaoncall.enabled(grafanaoncall.schema.parse({}))).toBe(false);
  });

  it('redacts the webhook URL and the custom headers', () => {
    const loaded = load({ GRAFANAONCALL_CUSTOMHEADERS: 'X-Token:t0k3n-value' });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('Int3grationKey');
    expect(shown).not.toContain('t0k3n-value');
    expect(shown).toContain('"webhookurl":"***"');
  });
});

describe('grafanaoncall body', () => {
  it("is falcosidekick's grafanaOnCallPayload: alert_uid, state, title \"[<priority>] <rule>\", message (its fields in its order)", () => {
    const critical = priorityAlerts().find((a) => a.priority === 'Critical')!;
    expect(onCallBody(critical)).toBe(JSON.stringify({ alert_uid: critical.uuid, state: 'alerting', title: `[Critical] ${critical.rule}`, message: critical.output }));
    expect(Object.keys(JSON.parse(onCallBody(critical)) as object)).toEqual(['alert_uid', 'state', 'title', 'message']);
  });
});
