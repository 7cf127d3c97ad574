// The influxdb keys as falcosidekick users write them, and where and how they send.
import { describe, expect, it } from 'vitest';
import plugin from './index.ts';
import { authorization, influxdbProblems, writePath } from './options.ts';

const parse = (section: Record<string, unknown>) => plugin.schema.parse(section);

describe('influxdb options', () => {
  it("falcosidekick's defaults: database and bucket falco, precision ns; off without hostport", () => {
    const options = parse({});
    expect(options).toMatchObject({ hostport: '', database: 'falco', organization: '', bucket: 'falco', precision: 'ns', user: '', password: '', token: '' });
    expect(plugin.enabled(options)).toBe(false);
    expect(plugin.enabled(parse({ hostport: 'http://influxdb:8086' }))).toBe(true);
  });

  it.each([
    [{}, '/write?db=falco&precision=ns'],
    [{ database: 'sec ops', precision: 's' }, '/write?db=sec+ops&precision=s'],
    [{ precision: '' }, '/write?db=falco'],
    [{ organization: 'my org', bucket: 'alerts' }, '/api/v2/write?org=my+org&bucket=alerts&precision=ns'],
    [{ organization: 'o' }, '/api/v2/write?org=o&bucket=falco&precision=ns'],
  ])('%j writes to %s', (keys, path) => {
    expect(writePath(parse({ hostport: 'http://influxdb:8086', ...keys }), '/')).toBe(path);
  });

  it('keeps a base path of hostport (a proxy prefix), without doubling the slash', () => {
    expect(writePath(parse({ hostport: 'http://proxy/influx/' }), '/influx/')).toBe('/influx/write?db=falco&precision=ns');
  });

  it('auth: the token wins (Token scheme); else user and password as Basic; else none', () => {
    expect(authorization(parse({ token: 't0k', user: 'u', password: 'p' }))).toBe('Token t0k');
    expect(authorization(parse({ user: 'u', password: 'p' }))).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(authorization(parse({}))).toBeUndefined();
  });

  it.each([
    [{ database: '' }, [{ path: 'database', message: expect.stringContaining('is required without organization') }]],
    [{ organization: 'o', bucket: '' }, [{ path: 'bucket', message: expect.stringContaining('is required with organization') }]],
    [{ organization: 'o', precision: 'h' }, [{ path: 'precision', message: expect.stringContaining('use ns, us, ms or s') }]],
    [{ precision: 'us' }, [{ path: 'precision', message: expect.stringContaining('use ns, u, ms, s, m or h') }]],
    [{ user: 'u' }, [{ path: 'password', message: expect.stringContaining('go together') }]],
    [{ password: 'p' }, [{ path: 'user', message: expect.stringContaining('go together') }]],
    [{ user: 'u', token: 't' }, []],
    [{ organization: 'o', precision: 'us' }, []],
    [{ precision: 'u' }, []],
  ])('validate %j', (keys, problems) => {
    expect(influxdbProblems(parse({ hostport: 'http://influxdb:8086', ...keys }))).toEqual(problems);
  });

  it('refuses an unknown precision', () => {
    expect(plugin.schema.safeParse({ precision: 'seconds' }).success).toBe(false);
  });
});
