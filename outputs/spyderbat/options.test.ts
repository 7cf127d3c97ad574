// spyderbat's keys as falcosidekick 2.34.1 spells them, and the API paths.
import { describe, expect, it } from 'vitest';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import spyderbat from './index.ts';
import { apiPaths, spyderbatProblems } from './options.ts';

const parse = (section: Record<string, unknown>) => spyderbat.schema.parse(section);

describe('spyderbat options', () => {
  it("falcosidekick's defaults; on only with orguid", () => {
    const options = parse({});
    expect(options).toMatchObject({ orguid: '', apikey: '', apiurl: 'https://api.spyderbat.com', source: 'falcosidekick', sourcedescription: '' });
    expect(spyderbat.enabled(options)).toBe(false);
    expect(spyderbat.enabled(parse({ orguid: 'org1' }))).toBe(true);
  });

  it('loads SPYDERBAT_* env vars', () => {
    const { config } = configFromEnv({ SPYDERBAT_ORGUID: 'org1', SPYDERBAT_APIKEY: 'k', SPYDERBAT_APIURL: 'https://api.example.com', SPYDERBAT_SOURCE: 'falco', SPYDERBAT_SOURCEDESCRIPTION: 'd', SPYDERBAT_MINIMUMPRIORITY: 'error' });
    expect(config).toMatchObject({ spyderbat: { orguid: 'org1', apikey: 'k', apiurl: 'https://api.example.com', source: 'falco', sourcedescription: 'd', minimumpriority: 'error' } });
  });

  it.each([
    ['https://api.spyderbat.com', '/api/v1/org/org1/source/', '/api/v1/org/org1/source/falcosidekick_org1/data/sb-agent'],
    ['https://gw.example.com/spyderbat/', '/spyderbat/api/v1/org/org1/source/', '/spyderbat/api/v1/org/org1/source/falcosidekick_org1/data/sb-agent'],
  ])('%s: sources at %s, data at %s', (apiurl, sources, data) => {
    expect(apiPaths(parse({ orguid: 'org1', apiurl }))).toMatchObject({ sources, data });
  });

  it.each([
    [{ orguid: 'org1', apikey: 'k' }, []],
    [{ orguid: 'org1' }, ['apikey']],
    [{ orguid: 'org/1', apikey: 'k' }, ['orguid']],
    [{ orguid: 'org1', apikey: 'k', source: '' }, ['source']],
    [{ orguid: 'org1', apikey: 'k', source: 's'.repeat(33), sourcedescription: 'd'.repeat(257) }, ['source', 'sourcedescription']],
    [{ orguid: 'org1', apikey: 'k', source: 's'.repeat(32), sourcedescription: 'd'.repeat(256) }, []],
  ])('validate %j', (keys, paths) => {
    expect(spyderbatProblems(parse(keys)).map((p) => p.path)).toEqual(paths);
  });

  it('an apiurl that is not http(s) is a startup problem naming it', () => {
    expect(envProblems({ SPYDERBAT_ORGUID: 'org1', SPYDERBAT_APIKEY: 'k', SPYDERBAT_APIURL: 'api.spyderbat.com' })).toEqual([expect.stringMatching(/^spyderbat\.apiurl: must be an http\(s\) URL/)]);
  });
});
