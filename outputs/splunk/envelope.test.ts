// Envelope bytes, endpoint resolution and option loading (the user's seed block included).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { parseJson } from '../../src/alert/json.ts';
import { toAlert, freezeAlert, type Alert, type AlertInput } from '../../src/alert/alert.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { fixturesDir } from '../../test/support/fixtures.ts';
import { outputs } from '../../test/support/outputs.ts';
import { envelopeBuilder, hecBody } from './envelope.ts';
import splunk from './index.ts';
import { hecEndpoints, splunkSchema } from './options.ts';

const plugins = outputs;

function alert(i = 1, patch: Partial<AlertInput> = {}): Alert {
  const input = { ...(parseJson(falcoAlertJson(i)) as AlertInput), ...patch };
  return freezeAlert(toAlert(input));
}

const defaults = splunkSchema.parse({ hostport: 'https://splunk:8088' });

describe('HEC envelope', () => {
  it('carries time (epoch seconds, every fractional digit), host, source, sourcetype, index and the exact alert JSON', () => {
    const a = alert(7);
    const build = envelopeBuilder({ ...defaults, index: 'falco', source: 'falco' });
    const text = build(a);
    expect(text).toBe(
      `{"time":1795170096.167531875,"host":"node-1","source":"falco","sourcetype":"falcosidekick","index":"falco","event":${JSON.stringify(a)}}`,
    );
    // The big integer is spliced in as text, never rounded through a number.
    expect(text).toContain('"evt.time":1700000000167531882');
  });

  it('omits empty metadata (the token defaults decide) and the host of an alert without hostname', () => {
    const a = alert(1, { hostname: undefined });
    const text = envelopeBuilder({ ...defaults, sourcetype: '' })(a);
    expect(text.startsWith('{"time":1795170096.167531875,"event":{')).toBe(true);
    expect(JSON.parse(text)).not.toHaveProperty('host');
  });

  it('eventhost overrides the alert hostname', () => {
    expect(JSON.parse(envelopeBuilder({ ...defaults, eventhost: 'falco-cluster' })(alert()))).toMatchObject({ host: 'falco-cluster' });
  });

  it('a whole-second time has no fraction', () => {
    expect(envelopeBuilder(defaults)(alert(1, { time: '2026-11-20T10:21:36Z' }))).toMatch(/^\{"time":1795170096,/);
  });

  it('indexed fields: alert keys and output_fields keys, flat strings, absent and null skipped, big integers exact', () => {
    const a = alert(3, { output_fields: { 'k8s.ns.name': 'default', 'evt.time': JSON.rawJSON('1700000000167531878'), 'proc.aname[2]': null, n: 5, list: ['a', 1] } as never });
    const text = envelopeBuilder({ ...defaults, indexedfields: ['rule', 'priority', 'source', 'k8s.ns.name', 'evt.time', 'proc.aname[2]', 'missing', 'n', 'list'] })(a);
    expect(JSON.parse(text).fields).toEqual({
      rule: 'Terminal shell in container',
      priority: 'Notice',
      source: 'syscall',
      'k8s.ns.name': 'default',
      'evt.time': '1700000000167531878',
      n: '5',
      list: ['a', '1'],
    });
  });

  it('a body is the envelopes one per line, each parseable on its own', () => {
    const body = hecBody([alert(1), alert(2), alert(3)], envelopeBuilder(defaults));
    const lines = body.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => (JSON.parse(l) as { event: Alert }).event.uuid)).toEqual(['alert-1', 'alert-2', 'alert-3']);
  });
});

describe('HEC endpoints', () => {
  it('hostport is a base URL: the event path is appended', () => {
    expect(hecEndpoints({ hostport: 'https://splunk:8088', host: '' })).toEqual({
      origin: 'https://splunk:8088',
      event: '/services/collector/event',
      health: '/services/collector/health',
      ack: '/services/collector/ack',
    });
    expect(hecEndpoints({ hostport: 'https://gw.example.com/splunk/', host: '' })).toMatchObject({ event: '/splunk/services/collector/event', health: '/splunk/services/collector/health' });
  });

  it('a hostport that already names the collector path (falcosidekick users had to) is used as is', () => {
    expect(hecEndpoints({ hostport: 'https://splunk:8088/services/collector/event', host: '' })).toMatchObject({ event: '/services/collector/event', ack: '/services/collector/ack' });
    expect(hecEndpoints({ hostport: 'https://splunk:8088/services/collector', host: '' })).toMatchObject({ event: '/services/collector' });
  });

  it('host (falcosidekick) is the full URL, used as is, and wins over hostport', () => {
    expect(hecEndpoints({ host: 'https://proxy:9000/hec/services/collector/event?channel=x', hostport: 'https://other:8088' })).toEqual({
      origin: 'https://proxy:9000',
      event: '/hec/services/collector/event?channel=x',
      health: '/hec/services/collector/health',
      ack: '/hec/services/collector/ack',
    });
  });
});

describe('splunk options', () => {
  it('the user\'s seed block loads unchanged and turns the output on with their values', () => {
    const { config } = loadConfig({ file: join(fixturesDir, 'config/seed.yaml'), env: {}, plugins });
    const section = config.splunk as ReturnType<typeof splunkSchema.parse>;
    expect(section).toMatchObject({ hostport: 'https://splunk-hec.example.com:8088', token: 'your-hec-token', index: 'falco', source: 'falco', sourcetype: '_json', checkcert: true, minimumpriority: '' });
    expect(splunk.enabled(section)).toBe(true);
  });

  it('falcosidekick\'s host key and env vars work; a bad URL is a startup error', () => {
    const file = join(fixturesDir, 'config/seed.yaml');
    const { config } = loadConfig({ file, env: { SPLUNK_HOST: 'http://hec:8088/services/collector/event', SPLUNK_INDEXEDFIELDS: 'rule,priority', SPLUNK_USEACK: 'true' }, plugins });
    expect(config.splunk).toMatchObject({ host: 'http://hec:8088/services/collector/event', indexedfields: ['rule', 'priority'], useack: true });
    expect(() => loadConfig({ file, env: { SPLUNK_HOSTPORT: 'splunk:8088' }, plugins })).toThrow(/splunk\.hostport/);
  });

  it('is off without hostport and host', () => {
    expect(splunk.enabled(splunkSchema.parse({}))).toBe(false);
    expect(splunk.enabled(splunkSchema.parse({ host: 'http://h:1/x' }))).toBe(true);
  });
});
