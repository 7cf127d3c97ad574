// Client TLS for outputs: falcosidekick's global keys plus each output's checkcert/mutualtls/cacertfile.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tlsModule from 'node:tls';
import { z } from 'zod';
import { untrustedSystemCertificates } from './system-cas.ts';

/** Resolved from the global config: mutualtlsclient.* wins over files in mutualtlsfilespath. */
export interface ClientTls {
  /** tlsclient.cacertfile: extra CA for every output's server certificate. */
  cacertfile: string;
  certfile: string;
  keyfile: string;
  mutualcacertfile: string;
}

export function resolveClientTls(global: {
  mutualtlsfilespath: string;
  mutualtlsclient: { certfile: string; keyfile: string; cacertfile: string };
  tlsclient: { cacertfile: string };
}): ClientTls {
  const dir = global.mutualtlsfilespath;
  return {
    cacertfile: global.tlsclient.cacertfile,
    certfile: global.mutualtlsclient.certfile || join(dir, 'client.crt'),
    keyfile: global.mutualtlsclient.keyfile || join(dir, 'client.key'),
    mutualcacertfile: global.mutualtlsclient.cacertfile || join(dir, 'ca.crt'),
  };
}

/** Per-output TLS keys, spelled as in falcosidekick (plus `cacertfile`). Spread into an output's schema. */
export const tlsShape = {
  checkcert: z.boolean().default(true).describe('Verify the server certificate. Turn off only for tests. Ignored with mutualtls (always verified), as in falcosidekick.'),
  mutualtls: z.boolean().default(false).describe('Present the client certificate from mutualtlsclient.* (or mutualtlsfilespath).'),
  cacertfile: z.string().default('').describe('PEM file with the CA that signed the server certificate (in addition to the system CAs: the OS store, SSL_CERT_FILE / SSL_CERT_DIR, NODE_EXTRA_CA_CERTS).'),
};

export interface TlsOptions {
  checkcert: boolean;
  mutualtls: boolean;
  cacertfile: string;
}

export interface NodeTlsOptions {
  rejectUnauthorized: boolean;
  ca?: string[];
  cert?: string;
  key?: string;
}

let systemTrusted = false;

/**
 * Trusts the operating system's CAs in every TLS connection of the process, as falcosidekick's Go
 * client does: the system store (/etc/ssl/certs, and SSL_CERT_FILE / SSL_CERT_DIR, which OpenSSL
 * reads) beside Node's bundled roots and NODE_EXTRA_CA_CERTS. Behind an internal CA installed
 * there, outputs would otherwise refuse every certificate after the switch. Once, on the first
 * output that may speak TLS (system-cas.ts; a daemon without such an output never reads them).
 */
export function trustSystemCas(): void {
  if (systemTrusted) return;
  systemTrusted = true;
  // A Node without tls.setDefaultCACertificates (added in 24.5; engines allows 22.18, the image and npm start run 24) keeps its own roots.
  if (typeof tlsModule.setDefaultCACertificates !== 'function') return;
  const extra = untrustedSystemCertificates();
  if (extra.length > 0) tlsModule.setDefaultCACertificates([...tlsModule.getCACertificates('default'), ...extra]);
}

/** Reads the certificate files (IO: call it from connect()). Throws with the file path when one is unreadable. */
export function loadTls(options: TlsOptions, global: ClientTls): NodeTlsOptions {
  trustSystemCas();
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
    }
  };
  const caFiles = [options.cacertfile, global.cacertfile, ...(options.mutualtls ? [global.mutualcacertfile] : [])].filter(Boolean);
  // With mutualtls the server is always verified, checkcert or not (falcosidekick: outputs/client.go).
  const tls: NodeTlsOptions = { rejectUnauthorized: options.checkcert || options.mutualtls };
  if (caFiles.length) {
    // Custom CAs are added to, not instead of, the system store.
    tls.ca = [...caFiles.map((f) => read(f, 'CA file')), ...systemCas()];
  }
  if (options.mutualtls) {
    tls.cert = read(global.certfile, 'client certificate');
    tls.key = read(global.keyfile, 'client key');
  }
  return tls;
}

/** The default CAs: Node's roots, NODE_EXTRA_CA_CERTS and (trustSystemCas) the system's. */
function systemCas(): string[] {
  return tlsModule.getCACertificates('default');
}
