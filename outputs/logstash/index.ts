// falcosidekick's logstash output: each alert as one JSON line (line.ts) on one TCP connection
// (TLS optional) to Logstash's tcp input with the json_lines codec. A batch goes in one write.
// Delivered means written to the kernel: Logstash's tcp input acknowledges nothing (docs/outputs/logstash.md).
import type { ConnectionOptions } from 'node:tls';
import { defineOutput, loadTls, ok, retry, type ClientTls } from '../../src/plugin/index.ts';
import { TcpStream } from '../syslog/transport.ts';
import { logstashLine } from './line.ts';
import { logstashSchema, type LogstashOptions } from './options.ts';

export default defineOutput({
  name: 'logstash',
  description: "Send each alert as a JSON line to Logstash's tcp input (json_lines codec), over TCP or TLS.",
  schema: logstashSchema,
  example: { address: 'logstash.example.com', port: 5044 },
  enabled: (options) => options.address !== '',
  batch: { maxevents: 500, maxbytes: 1_000_000, flushms: 0 },
  concurrency: 1,
  connect(options, ctx): TcpStream {
    const host = options.address.replace(/^\[(.*)\]$/, '$1');
    return new TcpStream({ host, port: options.port }, options.tls || options.mutualtls ? tlsOptions(options, ctx.tls) : undefined);
  },
  async healthcheck({ client, signal }) {
    try {
      await client.open(signal);
      return { ok: true };
    } catch (err) {
      return { ok: false, message: `cannot connect to ${where(client)}: ${(err as Error).message}` };
    }
  },
  async sendBatch(alerts, { client, options, signal }) {
    try {
      await client.write(alerts.map((alert) => logstashLine(alert, options.tags)).join(''), signal);
      return ok();
    } catch (err) {
      // Logstash refuses no event: every failure is the connection's (refused, reset, a TLS handshake).
      return retry(`${where(client)}: ${(err as Error).message}`, { auth: isCertificateError(err) });
    }
  },
  close(client) {
    client.close();
  },
});

/** falcosidekick's choice of files: the section's own, else mutualtlsclient.*, else mutualtlsfilespath. */
function tlsOptions(options: LogstashOptions, global: ClientTls): ConnectionOptions {
  const files: ClientTls = {
    ...global,
    certfile: options.certfile || global.certfile,
    keyfile: options.keyfile || global.keyfile,
    mutualcacertfile: options.cacertfile || global.mutualcacertfile,
  };
  const tls = loadTls({ checkcert: options.checkcert, mutualtls: options.mutualtls, cacertfile: options.mutualtls ? '' : options.cacertfile }, files);
  // TLS 1.2 at most: in TLS 1.3 the client's handshake ends before the server checks the client's
  // certificate, so a Logstash that requires one (ssl_client_authentication => required) refuses it
  // only after a batch was written and counted delivered. In TLS 1.2 the refusal is the handshake's.
  return { ...tls, maxVersion: 'TLSv1.2' };
}

/**
 * A certificate refused, by us (OpenSSL's verify codes: CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT,
 * UNABLE_TO_VERIFY_LEAF_SIGNATURE, a host name not in it …) or by Logstash (an alert about our
 * certificate): the configuration's to fix, as a refused credential is.
 */
function isCertificateError(err: unknown): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test((err as NodeJS.ErrnoException).code ?? '');
}

function where(client: TcpStream): string {
  const { host, port } = client.target;
  return `${client.target.host.includes(':') ? `[${host}]` : host}:${port}`;
}
