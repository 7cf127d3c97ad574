// statsd/dogstatsd keys as falcosidekick users write them.
import { describe, expect, it } from 'vitest';
import dogstatsd from '../dogstatsd/index.ts';
import statsd from './index.ts';
import { parseForwarder } from './options.ts';

describe('statsd options', () => {
  it("falcosidekick's defaults: namespace falcosidekick., no tags; off without a forwarder", () => {
    for (const plugin of [statsd, dogstatsd]) {
      const options = plugin.schema.parse({});
      expect(options).toEqual({ forwarder: '', namespace: 'falcosidekick.', tags: [] });
      expect(plugin.enabled(options)).toBe(false);
      expect(plugin.enabled(plugin.schema.parse({ forwarder: '127.0.0.1:8125' }))).toBe(true);
    }
  });

  it('tags: a list, or the env spelling "a:b,c:d"', () => {
    expect(dogstatsd.schema.parse({ tags: 'env:prod, team:sec' }).tags).toEqual(['env:prod', 'team:sec']);
    expect(dogstatsd.schema.parse({ tags: ['env:prod'] }).tags).toEqual(['env:prod']);
  });

  it.each([
    ['127.0.0.1:8125', { host: '127.0.0.1', port: 8125 }],
    ['datadog-agent.monitoring:8125', { host: 'datadog-agent.monitoring', port: 8125 }],
    ['[::1]:9125', { host: '::1', port: 9125 }],
    ['localhost', undefined],
    ['127.0.0.1:0', undefined],
    ['127.0.0.1:70000', undefined],
    ['::1:8125', undefined],
    ['unix:///var/run/datadog/dsd.socket', undefined],
  ])('forwarder %s', (text, target) => {
    expect(parseForwarder(text)).toEqual(target);
  });

  it('refuses a Unix socket forwarder with a hint, and namespaces and tags that would break a line', () => {
    const unix = dogstatsd.schema.safeParse({ forwarder: 'unix:///var/run/datadog/dsd.socket' });
    expect(unix.error?.issues[0]?.message).toMatch(/Unix socket .* not supported: use the UDP host:port/);
    expect(statsd.schema.safeParse({ forwarder: 'statsd' }).error?.issues[0]?.message).toMatch(/must be host:port/);
    // falcosidekick's chart documents http://host:port, which its client cannot resolve (the output turns itself off).
    expect(statsd.schema.safeParse({ forwarder: 'http://127.0.0.1:8125' }).error?.issues[0]?.message).toMatch(/must be host:port \(UDP, no scheme/);
    for (const namespace of ['a:b', 'a|b', 'a b', 'a#', 'a\n']) expect(statsd.schema.safeParse({ namespace }).success).toBe(false);
    for (const tags of [['a|b'], ['a b'], ['a,b']]) expect(dogstatsd.schema.safeParse({ tags }).success).toBe(false);
  });
});
