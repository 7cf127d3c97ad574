// grafana: falcosidekick 2.34.1's keys from env vars, the token redacted, a hostport without apikey
// refused, and the annotation body against what falcosidekick posted for the same alerts
// (test/fixtures/grafana/falcosidekick-annotations.json).
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import { fixtureJson } from '../../test/support/fixtures.ts';
import grafana, { annotationBody, annotationsUrl } from './index.ts';

const recorded = fixtureJson<{ plain: string[]; allfieldsastags: string[] }>('grafana/falcosidekick-annotations.json');
const options = (extra: Record<string, unknown> = {}) => grafana.schema.parse({ hostport: 'http://grafana:3000', apikey: 'glsa_x', ...extra });
const ENV = { GRAFANA_HOSTPORT: 'http://grafana:3000', GRAFANA_APIKEY: 'glsa_S3cretToken' };

describe('grafana options', () => {
  it('loads GRAFANA_* env vars as falcosidekick names them', () => {
    const { config } = configFromEnv({
      ...ENV,
      GRAFANA_DASHBOARDID: '7',
      GRAFANA_PANELID: '3',
      GRAFANA_ALLFIELDSASTAGS: 'true',
      GRAFANA_CUSTOMHEADERS: 'X-Org:2',
      GRAFANA_CHECKCERT: 'false',
      GRAFANA_MAXCONCURRENTREQUESTS: '4',
      GRAFANA_MINIMUMPRIORITY: 'warning',
    });
    expect(config).toMatchObject({
      grafana: { hostport: 'http://grafana:3000', apikey: 'glsa_S3cretToken', dashboardid: 7, panelid: 3, allfieldsastags: true, customheaders: { 'x-org': '2' }, checkcert: false, minimumpriority: 'warning' },
    });
    expect(grafana.legacySettings?.(options({ maxconcurrentrequests: 4 }))).toEqual({ maxconcurrency: 4 });
  });

  it('is on with hostport and apikey, off without hostport; a hostport without apikey is a startup error', () => {
    expect(grafana.enabled(options())).toBe(true);
    expect(grafana.enabled(grafana.schema.parse({}))).toBe(false);
    expect(envProblems({ GRAFANA_HOSTPORT: 'http://grafana:3000' })).toEqual(['grafana.apikey: is required when hostport is set (a service account token with annotations:write)']);
    expect(envProblems({ GRAFANA_HOSTPORT: 'grafana:3000', GRAFANA_APIKEY: 'k' })).toHaveLength(1);
  });

  it('redacts the token', () => {
    const loaded = configFromEnv(ENV);
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('S3cretToken');
    expect(shown).toContain('"apikey":"***"');
  });

  it('posts to <hostport>/api/annotations, a sub-path kept, a trailing slash not doubled', () => {
    expect(annotationsUrl('http://grafana:3000')).toBe('http://grafana:3000/api/annotations');
    expect(annotationsUrl('https://example.com/grafana/')).toBe('https://example.com/grafana/api/annotations');
  });
});

describe('grafana annotation', () => {
  const alerts = priorityAlerts();

  it("is falcosidekick's annotation for each priority (its keys in its order)", () => {
    expect(alerts.map((a) => JSON.parse(annotationBody(a, options())) as unknown)).toEqual(recorded.plain.map((b) => JSON.parse(b) as unknown));
    expect(Object.keys(JSON.parse(annotationBody(alerts[0]!, options({ dashboardid: 7, panelid: 3 }))) as object)).toEqual(['dashboardId', 'panelId', 'time', 'timeEnd', 'tags', 'text']);
  });

  it("with allfieldsastags: falcosidekick's tags, field values sorted by field name instead of Go's random map order, no \"<nil>\" for a null field", () => {
    const opts = options({ allfieldsastags: true, dashboardid: 7, panelid: 3 });
    alerts.forEach((alert, i) => {
      const ours = JSON.parse(annotationBody(alert, opts)) as { tags: string[] };
      const theirs = JSON.parse(recorded.allfieldsastags[i]!) as { tags: string[] };
      expect({ ...ours, tags: [] }).toEqual({ ...theirs, tags: [] });
      const own = alert.hostname ? 5 : 4; // falco, priority, rule, source, hostname when there is one
      expect(ours.tags.slice(0, own)).toEqual(theirs.tags.slice(0, own));
      expect([...ours.tags].sort()).toEqual(theirs.tags.filter((t) => t !== '<nil>').sort());
    });
    expect((JSON.parse(annotationBody(alerts[0]!, opts)) as { tags: string[] }).tags.slice(5)).toEqual([
      '1700000000000000001', // evt.time, every digit
      '10.0.0.5:41000->198.51.100.7:3333', // fd.name
      '3333', // fd.sport
      'xmrig', // proc.name
      'T1496',
      'mitre_impact',
      'network',
    ]);
  });

  it('sends dashboarduid instead of dashboardid when both are set', () => {
    const body = JSON.parse(annotationBody(alerts[1]!, options({ dashboardid: 7, dashboarduid: 'falco-overview' }))) as Record<string, unknown>;
    expect(body.dashboardUID).toBe('falco-overview');
    expect(body).not.toHaveProperty('dashboardId');
  });
});
