// The API server path and the bearer token: a fixed token, or the token file read again after a
// minute (bound tokens rotate) and at once after a 401; none over plain http, as client-go.
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { servicePath, ServiceProxy, TOKEN_REREAD_MS } from './service-proxy.ts';

const pool = {} as Dispatcher;

describe('servicePath', () => {
  it("builds /api/v1/namespaces/<ns>/services/<svc>:<port>/proxy<path> after the server's path prefix", () => {
    expect(servicePath('/', { namespace: 'fission', service: 'router', port: 80, path: '/fission-function/falco' })).toBe('/api/v1/namespaces/fission/services/router:80/proxy/fission-function/falco');
    expect(servicePath('/k8s/clusters/c-1/', { namespace: 'kl', service: 'fn', port: 8080, path: '/' })).toBe('/k8s/clusters/c-1/api/v1/namespaces/kl/services/fn:8080/proxy/');
  });
});

describe('ServiceProxy.authorization', () => {
  it('re-reads the token file after a minute, and at once after a refusal', () => {
    let token = 'one';
    let reads = 0;
    const p = new ServiceProxy({ server: new URL('https://k8s:6443'), insecure: false, tokenFile: '/t' }, pool, () => {
      reads++;
      return token;
    });
    expect(p.authorization(0)).toEqual({ authorization: 'Bearer one' });
    token = 'two';
    expect(p.authorization(TOKEN_REREAD_MS - 1)).toEqual({ authorization: 'Bearer one' });
    expect(p.authorization(TOKEN_REREAD_MS)).toEqual({ authorization: 'Bearer two' });
    token = 'three';
    p.refused();
    expect(p.authorization(TOKEN_REREAD_MS + 1)).toEqual({ authorization: 'Bearer three' });
    expect(reads).toBe(3);
  });

  it('keeps the last token while the file cannot be read (a rotation in progress); throws when it never could', () => {
    let fail = false;
    const p = new ServiceProxy({ server: new URL('https://k8s:6443'), insecure: false, tokenFile: '/t' }, pool, () => {
      if (fail) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      return 'one';
    });
    expect(p.authorization(0)).toEqual({ authorization: 'Bearer one' });
    fail = true;
    expect(p.authorization(TOKEN_REREAD_MS)).toEqual({ authorization: 'Bearer one' });
    const never = new ServiceProxy({ server: new URL('https://k8s:6443'), insecure: false, tokenFile: '/t' }, pool, () => {
      throw Object.assign(new Error('gone'), { code: 'ENOENT' });
    });
    expect(() => never.authorization(0)).toThrow("cannot read the kubeconfig's tokenFile /t: ENOENT");
  });

  it('a fixed token; nothing over plain http (client-go sends no credentials there)', () => {
    expect(new ServiceProxy({ server: new URL('https://k8s:6443'), insecure: false, token: 'abc' }, pool).authorization(0)).toEqual({ authorization: 'Bearer abc' });
    expect(new ServiceProxy({ server: new URL('http://127.0.0.1:8001'), insecure: false, token: 'abc' }, pool).authorization(0)).toEqual({});
  });
});
