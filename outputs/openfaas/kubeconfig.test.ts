// The kubeconfig reader: the current context's server, TLS and credentials; relative paths from the
// file's folder; unsupported ways to authenticate refused by name.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKubeconfig } from './kubeconfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'peregrine-kubeconfig-'));
writeFileSync(join(dir, 'ca.crt'), 'CA PEM');
writeFileSync(join(dir, 'client.crt'), 'CERT PEM');

function file(user: string, cluster = '    server: https://10.0.0.1:6443/k8s/clusters/c-1\n    certificate-authority: ca.crt\n', current = 'x'): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\ncurrent-context: ${current}\nclusters:\n- name: other\n  cluster: {server: https://other:6443}\n- name: c\n  cluster:\n${cluster}` +
      `contexts:\n- name: y\n  context: {cluster: other, user: nobody}\n- name: x\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user:\n${user}`,
  );
  return path;
}

describe('loadKubeconfig', () => {
  it("reads the current context's server (with its path prefix), a CA file relative to the kubeconfig, and the token", () => {
    const target = loadKubeconfig(file('    token: abc\n'));
    expect(target).toEqual({ server: new URL('https://10.0.0.1:6443/k8s/clusters/c-1'), ca: 'CA PEM', insecure: false, token: 'abc' });
  });

  it('tokenFile is kept as an absolute path (read at request time); CA and client key from -data; tls-server-name; insecure-skip-tls-verify', () => {
    const cluster = `    server: https://10.0.0.1:6443\n    certificate-authority-data: ${Buffer.from('CA2').toString('base64')}\n    tls-server-name: kubernetes.default\n    insecure-skip-tls-verify: true\n`;
    const target = loadKubeconfig(file(`    tokenFile: token\n    client-certificate: client.crt\n    client-key-data: ${Buffer.from('KEY PEM').toString('base64')}\n`, cluster));
    expect(target).toEqual({
      server: new URL('https://10.0.0.1:6443'),
      ca: 'CA2',
      insecure: true,
      servername: 'kubernetes.default',
      cert: 'CERT PEM',
      key: 'KEY PEM',
      tokenFile: join(dir, 'token'),
    });
  });

  it.each([
    ['    exec:\n      command: aws\n', /uses exec, which Peregrine does not support/],
    ['    auth-provider:\n      name: oidc\n', /uses auth-provider/],
    ['    username: admin\n    password: pw\n', /uses username/],
    ['    as: admin\n    token: t\n', /uses as,/],
    ['    client-certificate: client.crt\n', /client certificate without its key/],
    ['    token: t\n    client-key: missing.key\n', /cannot read client-key .*missing\.key: ENOENT/],
  ])('user %j: refused', (user, message) => {
    expect(() => loadKubeconfig(file(user))).toThrow(message);
  });

  it('no such file, not YAML, no current-context, a context naming a missing cluster, proxy-url: refused naming the file', () => {
    expect(() => loadKubeconfig(join(dir, 'none.yaml'))).toThrow(/cannot read kubeconfig .*none\.yaml: ENOENT/);
    const notYaml = join(dir, 'bad.yaml');
    writeFileSync(notYaml, 'a: [');
    expect(() => loadKubeconfig(notYaml)).toThrow(/bad\.yaml: not YAML/);
    expect(() => loadKubeconfig(file('    token: t\n', undefined, '""'))).toThrow(/no current-context/);
    expect(() => loadKubeconfig(file('    token: t\n', undefined, 'z'))).toThrow(/context "z" not found in contexts/);
    expect(() => loadKubeconfig(file('    token: t\n', '    server: https://a:6443\n    proxy-url: http://squid:3128\n'))).toThrow(/uses proxy-url/);
  });
});
