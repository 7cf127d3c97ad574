// The operating system's CAs, found where Go's crypto/x509 looks on Linux (falcosidekick trusts
// them): SSL_CERT_FILE, else the first distribution bundle that exists; SSL_CERT_DIR (colon-separated),
// else /etc/ssl/certs and /etc/pki/tls/certs. Read as PEM text rather than through
// tls.getCACertificates('system'), which keeps every parsed certificate of the store (~7 MiB of RSS
// for Debian's, mostly the roots Node bundles already). Only what Node does not trust yet is added.
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tls from 'node:tls';

const BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Gentoo
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL 6
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/pki/tls/cacert.pem', // OpenELEC
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // CentOS, RHEL 7
  '/etc/ssl/cert.pem', // Alpine
];
const DIRS = ['/etc/ssl/certs', '/etc/pki/tls/certs'];
const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Every certificate in the system's places, as PEM. */
export function systemCertificates(env: NodeJS.ProcessEnv = process.env): string[] {
  // SSL_CERT_FILE, else the first bundle found (as Go: one file).
  const texts = [env.SSL_CERT_FILE ? read(env.SSL_CERT_FILE) : (BUNDLES.map(read).find((text) => text !== '') ?? '')];
  const dirs = env.SSL_CERT_DIR ? env.SSL_CERT_DIR.split(':').filter(Boolean) : DIRS;
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) texts.push(read(join(dir, name)));
  }
  return texts.flatMap((text) => text.match(PEM) ?? []);
}

/** The certificate itself, whatever the line breaks around it. */
const body = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

/** Whether OpenSSL can read it: a damaged one is skipped, as Go's AppendCertsFromPEM skips it (one would make setDefaultCACertificates refuse them all). */
function readable(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

/** The system's certificates Node does not trust yet (its roots, NODE_EXTRA_CA_CERTS), each once, the unreadable left out. */
export function untrustedSystemCertificates(env: NodeJS.ProcessEnv = process.env): string[] {
  const known = new Set(tls.getCACertificates('default').map(body));
  const extra = new Map<string, string>();
  for (const pem of systemCertificates(env)) if (!known.has(body(pem))) extra.set(body(pem), pem);
  return [...extra.values()].filter(readable);
}
