// quickwit's keys as falcosidekick 2.34.1 spells them, from env vars; its defaults; the URL.
import { describe, expect, it } from 'vitest';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import quickwit from './index.ts';
import { apiBase } from './options.ts';

describe('quickwit options', () => {
  it('loads QUICKWIT_HOSTPORT, _APIENDPOINT, _INDEX, _VERSION, _AUTOCREATEINDEX, _CUSTOMHEADERS, _CHECKCERT, _MUTUALTLS, _MAXCONCURRENTREQUESTS', () => {
    const { config } = configFromEnv({
      QUICKWIT_HOSTPORT: 'http://qw:7280',
      QUICKWIT_APIENDPOINT: 'qw/api/v1',
      QUICKWIT_INDEX: 'alerts',
      QUICKWIT_VERSION: '0.8',
      QUICKWIT_AUTOCREATEINDEX: 'true',
      QUICKWIT_CUSTOMHEADERS: 'X-A:1',
      QUICKWIT_CHECKCERT: 'false',
      QUICKWIT_MUTUALTLS: 'false',
      QUICKWIT_MAXCONCURRENTREQUESTS: '3',
    });
    expect(config).toMatchObject({
      quickwit: { hostport: 'http://qw:7280', apiendpoint: 'qw/api/v1', index: 'alerts', version: '0.8', autocreateindex: true, customheaders: { 'x-a': '1' }, checkcert: false, mutualtls: false, maxconcurrentrequests: 3 },
    });
  });

  it("falcosidekick's defaults (api/v1, falco, 0.7, no autocreate); on only with hostport", () => {
    const empty = quickwit.schema.parse({});
    expect(empty).toMatchObject({ hostport: '', apiendpoint: 'api/v1', index: 'falco', version: '0.7', autocreateindex: false, customheaders: {}, checkcert: true, mutualtls: false });
    expect(quickwit.enabled(empty)).toBe(false);
    expect(quickwit.enabled(quickwit.schema.parse({ hostport: 'http://qw:7280' }))).toBe(true);
  });

  it.each([
    ['http://qw:7280', 'api/v1', 'http://qw:7280/api/v1'],
    ['http://qw:7280/', '/api/v1', 'http://qw:7280/api/v1'], // the chart's "/api/v1": no "//"
    ['https://proxy/qw', 'api/v1/', 'https://proxy/qw/api/v1'],
    ['http://qw:7280', '', 'http://qw:7280'],
  ])('hostport %s + apiendpoint %j → %s', (hostport, apiendpoint, base) => {
    expect(apiBase(quickwit.schema.parse({ hostport, apiendpoint }))).toBe(base);
  });

  it('an index id Quickwit refuses is a startup problem naming the key', () => {
    expect(envProblems({ QUICKWIT_HOSTPORT: 'http://qw:7280', QUICKWIT_INDEX: '_falco' })).toEqual([expect.stringMatching(/^quickwit\.index: must be a Quickwit index id/)]);
    expect(envProblems({ QUICKWIT_HOSTPORT: 'http://qw:7280', QUICKWIT_INDEX: 'fa' })).toHaveLength(1);
    expect(envProblems({ QUICKWIT_HOSTPORT: 'http://qw:7280', QUICKWIT_INDEX: 'falco-2026.11' })).toEqual([]);
  });

  it('maxconcurrentrequests is the core maxconcurrency; 1 by default as in falcosidekick', () => {
    expect(quickwit.concurrency).toBe(1);
    expect(quickwit.legacySettings?.(quickwit.schema.parse({ maxconcurrentrequests: 4 }))).toEqual({ maxconcurrency: 4 });
  });
});
