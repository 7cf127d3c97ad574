// The logstash section: falcosidekick's keys (address, port, tls, mutualtls, checkcert, certfile,
// keyfile, cacertfile, tags) with its defaults: port 5044, TLS off, and checkcert false.
import { commaList, z } from '../../src/plugin/index.ts';

export const logstashSchema = z.object({
  address: z.string().trim().default('').describe("Logstash host (its tcp input with the json_lines codec): a name or an IP address. Setting it turns the output on."),
  port: z
    .union([z.number(), z.string().trim().regex(/^\d+$/, 'must be a port number such as 5044')])
    .default(5044)
    .transform(Number)
    .pipe(z.number().int('must be a whole number').min(1, 'must be a port number, 1-65535').max(65535, 'must be a port number, 1-65535'))
    .describe("Port of Logstash's tcp input."),
  tls: z.boolean().default(false).describe('Connect with TLS (the tcp input with ssl_enabled).'),
  mutualtls: z.boolean().default(false).describe('Connect with TLS and present a client certificate (certfile/keyfile, else mutualtlsclient.*, else mutualtlsfilespath); the server is then always verified.'),
  checkcert: z
    .boolean()
    .default(false)
    .describe("Verify Logstash's certificate when tls is on. Off by default, as in falcosidekick: turn it on (with cacertfile for a private CA) unless the network is trusted."),
  certfile: z.string().default('').describe('Client certificate (PEM) for mutualtls; mutualtlsclient.certfile (or mutualtlsfilespath/client.crt) when empty.'),
  keyfile: z.string().default('').describe('Client key (PEM) for mutualtls; mutualtlsclient.keyfile (or mutualtlsfilespath/client.key) when empty.'),
  cacertfile: z.string().default('').describe("CA (PEM) that signed Logstash's certificate, in addition to the system CAs; with mutualtls, mutualtlsclient.cacertfile (or mutualtlsfilespath/ca.crt) when empty."),
  tags: commaList(z.string()).default([]).describe('Tags appended to each alert\'s own tags. Env: LOGSTASH_TAGS="a,b".'),
});

export type LogstashOptions = z.output<typeof logstashSchema>;
