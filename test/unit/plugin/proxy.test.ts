// Which requests go through the environment's proxy, as Go's httpproxy package decides it.
import { describe, expect, it } from 'vitest';
import { agentProxyEnv, proxyFor } from '../../../src/plugin/proxy.ts';

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ HTTP_PROXY: 'http://p:3128', HTTPS_PROXY: 'http://sp:3128', ...extra });
const via = (url: string, e: NodeJS.ProcessEnv) => proxyFor(new URL(url), e);

describe('proxyFor', () => {
  it('takes HTTPS_PROXY for https and HTTP_PROXY for http, upper case first, and reads "host:port" as http', () => {
    expect(via('https://hooks.slack.com/x', env())).toBe('http://sp:3128');
    expect(via('http://siem.example/x', env())).toBe('http://p:3128');
    expect(via('https://a.example', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' })).toBe('http://upper:1');
    expect(via('https://a.example', { https_proxy: 'http://lower:1' })).toBe('http://lower:1');
    expect(via('http://a.example', { HTTP_PROXY: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128');
    expect(via('https://a.example', { HTTP_PROXY: 'http://p:3128' })).toBeUndefined(); // Go: no HTTPS_PROXY, https goes direct
    expect(via('https://a.example', {})).toBeUndefined();
  });

  it('never proxies localhost or a loopback address', () => {
    for (const url of ['http://localhost:9200', 'http://127.0.0.1/x', 'http://127.8.9.10/x', 'http://[::1]:80/x', 'http://[::ffff:127.0.0.1]/x']) expect(via(url, env()), url).toBeUndefined();
  });

  it('reads NO_PROXY as Go does', () => {
    const np = (NO_PROXY: string, url: string) => via(url, env({ NO_PROXY }));
    expect(np('*', 'https://anything.example')).toBeUndefined();
    expect(np('corp.example', 'https://corp.example')).toBeUndefined();
    expect(np('corp.example', 'https://es.corp.example')).toBeUndefined();
    expect(np('corp.example', 'https://notcorp.example')).toBe('http://sp:3128');
    expect(np('.corp.example', 'https://corp.example')).toBe('http://sp:3128');
    expect(np('.corp.example', 'https://es.corp.example')).toBeUndefined();
    expect(np('*.corp.example', 'https://es.corp.example')).toBeUndefined();
    expect(np('es.corp.example:9200', 'https://es.corp.example:9200')).toBeUndefined();
    expect(np('es.corp.example:9200', 'https://es.corp.example')).toBe('http://sp:3128');
    expect(np('10.0.0.0/8, 192.168.1.5', 'http://10.1.2.3:9200')).toBeUndefined();
    expect(np('10.0.0.0/8, 192.168.1.5', 'http://192.168.1.5')).toBeUndefined();
    expect(np('10.0.0.0/8, 192.168.1.5', 'http://11.1.2.3')).toBe('http://p:3128');
    expect(np(' A.Example ,', 'http://a.example')).toBeUndefined();
    expect(np('10.0.0.0/', 'http://11.1.2.3')).toBe('http://p:3128'); // a malformed CIDR matches nothing
    expect(via('http://a.example', env({ NO_PROXY: '', no_proxy: 'a.example' }))).toBeUndefined(); // an empty variable is skipped, as Go's getEnvAny skips it
  });
});

describe('agentProxyEnv (the AWS SDK\'s node:https agents)', () => {
  it('is undefined without a proxy, and keeps loopback direct beside NO_PROXY', () => {
    expect(agentProxyEnv({})).toBeUndefined();
    expect(agentProxyEnv(env({ NO_PROXY: 'corp.example, .sub.example,*.star.example,10.0.0.0/8,10.1.2.3,es:9200', https_proxy: 'http://lower:1' }))).toEqual({
      HTTPS_PROXY: 'http://sp:3128',
      https_proxy: 'http://sp:3128',
      HTTP_PROXY: 'http://p:3128',
      http_proxy: 'http://p:3128',
      NO_PROXY: '.corp.example,*.sub.example,*.star.example,10.1.2.3,es:9200,localhost,127.0.0.1,::1',
      no_proxy: '.corp.example,*.sub.example,*.star.example,10.1.2.3,es:9200,localhost,127.0.0.1,::1',
    });
  });
});
