// The nats section: falcosidekick's keys (hostport, subjecttemplate, mutualtls, checkcert) plus
// cacertfile. Validation only; no IO.
import { secret, tlsShape, z } from '../../src/plugin/index.ts';

export const DEFAULT_SUBJECT = 'falco.<priority>.<rule>';

/** One server URL: nats://[user:pass@ | token@]host[:port], or tls://… for TLS. */
const SERVER = /^(nats|tls):\/\/(?:[^\s@/]+@)?(?:\[[0-9a-fA-F:.]+\]|[^\s:/@[\]]+)(?::\d{1,5})?\/?$/;

export const natsSchema = z.object({
  hostport: secret(
    z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || v.split(',').every((s) => SERVER.test(s.trim())), {
      error: 'must be nats://host:port (or tls://host:port for TLS; user:password@ or token@ before the host; several separated by commas)',
    })
    .describe('NATS server URL, nats://host:4222 (tls://host:4222 for TLS; nats://user:password@host:4222 or nats://token@host:4222 with credentials; several URLs separated by commas). Setting it turns the output on. Redacted everywhere, as it may hold a password.'),
  ),
  subjecttemplate: z
    .string()
    .default(DEFAULT_SUBJECT)
    .transform((v) => v.trim() || DEFAULT_SUBJECT)
    .refine((v) => !/\s/.test(v), { error: 'must not contain spaces (a NATS subject cannot)' })
    .describe('Subject of each alert: <priority> becomes the priority in lower case, <rule> the rule in lower case with every run of characters other than a-z and 0-9 as "_" (trimmed). "" means the default.'),
  ...tlsShape,
});

export interface NatsServer {
  /** host:port as nats.js takes it. */
  server: string;
  tls: boolean;
  user?: string;
  pass?: string;
  token?: string;
}

/** The servers of `hostport` (validated by the schema), credentials apart, as nats.go reads them. */
export function parseServers(hostport: string): NatsServer[] {
  return hostport
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [, scheme = 'nats', userinfo, rest = ''] = /^(nats|tls):\/\/(?:([^@]*)@)?(.*?)\/?$/.exec(s) ?? [];
      const server: NatsServer = { server: /^\[.*\]:\d+$|^[^:[\]]+:\d+$/.test(rest) ? rest : `${rest}:4222`, tls: scheme === 'tls' };
      if (userinfo) {
        const colon = userinfo.indexOf(':');
        // user:password, or a token alone (nats.go's reading of the URL)
        if (colon >= 0) Object.assign(server, { user: decodeURIComponent(userinfo.slice(0, colon)), pass: decodeURIComponent(userinfo.slice(colon + 1)) });
        else server.token = decodeURIComponent(userinfo);
      }
      return server;
    });
}
