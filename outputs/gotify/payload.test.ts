// Gotify message bytes: falcosidekick 2.34.1's title, priority and message in each format, its
// client::display contentType as Gotify documents it, and the options as users write them.
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import { falcosidekickNotify } from '../../test/support/falcosidekick-notify.ts';
import { gotifySchema, type GotifyOptions } from './options.ts';
import { gotifyMessage } from './payload.ts';

const options = (extra: Record<string, unknown> = {}): GotifyOptions => gotifySchema.parse({ hostport: 'http://gotify:8080', token: 'AbCdEf.123', ...extra });
const notice = priorityAlerts().find((a) => a.priority === 'Notice')!;
/** falcosidekick's contentType values ("markdown", "plaintext") → Gotify's documented ones. */
const DOCUMENTED: Record<string, string> = { markdown: 'text/markdown', plaintext: 'text/plain' };

describe('gotify message: what falcosidekick 2.34.1 posted (test/fixtures/chat/falcosidekick-notify.json)', () => {
  it.each(priorityAlerts().map((a) => [a.priority, a] as const))('%s, in each format: the same bytes, but for contentType, null fields and evt.time\'s digits', (priority, alert) => {
    const exact = (alert.output_fields['evt.time'] as { rawJSON?: string } | undefined)?.rawJSON;
    for (const format of ['markdown', 'plaintext', 'json'] as const) {
      const theirs = falcosidekickNotify<{ message: unknown; extras: { 'client::display': { contentType: string } } }>('gotify', priority, format);
      theirs.extras['client::display'].contentType = DOCUMENTED[theirs.extras['client::display'].contentType]!;
      const ours = gotifyMessage(alert, options({ format }));
      if (format === 'json') {
        // The alert's JSON as every Peregrine output sends it: time as Falco wrote it (Go trims the
        // fraction's zeros), output fields in Falco's order (Go sorts them), the same values. Both add
        // a uuid when Falco sends none (falcosidekick a random one, left out of the fixture); both
        // parsed as JSON (evt.time to a double on both sides).
        const { uuid, ...alertJson } = JSON.parse(ours.message) as Record<string, unknown>;
        expect(uuid).toBe(alert.uuid);
        alertJson.time = String(alertJson.time).replace(/(\.\d*?)0+Z$/, '$1Z').replace('.Z', 'Z');
        expect({ ...ours, message: alertJson }).toEqual(theirs);
        continue;
      }
      theirs.message = (theirs.message as string)
        .replace(/\n(\t- \*\*|- )[^\n]+: <no value>(?=\n)/g, '')
        .replace(/(evt\.time(\*\*)?: )\d+/, (_, label: string) => `${label}${exact ?? ''}`);
      expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    }
  });
});

describe('gotify message', () => {
  it('one alert, written out', () => {
    expect(gotifyMessage(notice, options())).toEqual({
      title: '[Falco] [Notice] Terminal shell in container',
      priority: 3,
      message:
        '- **Priority**: Notice\n- **Rule**: Terminal shell in container\n' +
        '- **Output**: 10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)\n' +
        '- **Source**: syscall\n- **Tags**: T1059 container mitre_execution shell \n- **Time**: 2026-11-20 10:21:36.167531875 +0000 UTC\n- **Fields**:\n' +
        '\t- **container.id**: 1f0a2e5c8d3b\n\t- **evt.time**: 1700000000167531875\n\t- **k8s.ns.name**: default\n\t- **k8s.pod.name**: web-7d9\n\t- **proc.cmdline**: sh -c id\n\t- **user.name**: root\n',
      extras: { 'client::display': { contentType: 'text/markdown' } },
    });
    expect(gotifyMessage(notice, options({ format: 'text' })).extras['client::display'].contentType).toBe('text/plain');
    expect(gotifyMessage(notice, options({ format: 'text' })).message).toBe(gotifyMessage(notice, options({ format: 'plaintext' })).message);
  });
});

describe('gotify options', () => {
  it('loads falcosidekick\'s keys from env vars; the token is a secret', () => {
    const loaded = configFromEnv({ GOTIFY_HOSTPORT: 'https://push.example.com/gotify', GOTIFY_TOKEN: 'AbCdEf.123', GOTIFY_FORMAT: 'JSON', GOTIFY_CHECKCERT: 'false' });
    expect(loaded.config).toMatchObject({ gotify: { hostport: 'https://push.example.com/gotify', token: 'AbCdEf.123', format: 'json', checkcert: false } });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('AbCdEf.123');
  });

  it('no token, or an unknown format: a startup problem naming the key', () => {
    expect(envProblems({ GOTIFY_HOSTPORT: 'http://gotify:8080' })).toEqual(['gotify.token: is required when hostport is set (Gotify refuses messages without an application token)']);
    expect(envProblems({ GOTIFY_HOSTPORT: 'http://gotify:8080', GOTIFY_TOKEN: 'x', GOTIFY_FORMAT: 'html' })).toEqual(['gotify.format: must be markdown, plaintext (or text) or json']);
  });
});
