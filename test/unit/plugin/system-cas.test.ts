// Where the system's CAs are read from, as Go's crypto/x509 reads them on Linux.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { systemCertificates, untrustedSystemCertificates } from '../../../src/plugin/system-cas.ts';
import { makeCerts } from '../../support/certs.ts';

describe('the system CAs', () => {
  it('reads SSL_CERT_FILE and every file of SSL_CERT_DIR (a CA mounted there), and adds only what Node does not trust yet, once', () => {
    const a = readFileSync(makeCerts().ca, 'utf8');
    const b = readFileSync(makeCerts().ca, 'utf8');
    const known = tls.getCACertificates('default')[0] as string;
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-cas-'));
    mkdirSync(join(dir, 'certs'));
    writeFileSync(join(dir, 'bundle.pem'), `${a}\n${known}\n`);
    writeFileSync(join(dir, 'certs', 'my-ca.crt'), b);
    writeFileSync(join(dir, 'certs', 'again.pem'), a.replace(/\n/g, '\r\n'));
    writeFileSync(join(dir, 'certs', 'README'), 'not a certificate');
    const env = { SSL_CERT_FILE: join(dir, 'bundle.pem'), SSL_CERT_DIR: `${join(dir, 'certs')}:${join(dir, 'missing')}` };
    expect(systemCertificates(env)).toHaveLength(4);
    const extra = untrustedSystemCertificates(env);
    expect(extra.map((pem) => pem.replace(/\s/g, '')).sort()).toEqual([a, b].map((pem) => pem.trim().replace(/\s/g, '')).sort());
  });

  it('skips a damaged certificate and keeps the others, as Go does (one made them all refused, and the first connect throw)', () => {
    const good = readFileSync(makeCerts().ca, 'utf8');
    // its markers kept, most of its body cut out
    const damaged = good.slice(0, 200) + good.slice(-60);
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-cas-'));
    writeFileSync(join(dir, 'good.pem'), good);
    writeFileSync(join(dir, 'damaged.pem'), damaged);
    const extra = untrustedSystemCertificates({ SSL_CERT_FILE: '/nonexistent', SSL_CERT_DIR: dir });
    expect(extra).toHaveLength(1);
    expect(() => tls.createSecureContext({ ca: extra })).not.toThrow();
  });

  it('finds nothing where there is nothing', () => {
    expect(systemCertificates({ SSL_CERT_FILE: '/nonexistent/file.pem', SSL_CERT_DIR: '/nonexistent' })).toEqual([]);
  });
});
