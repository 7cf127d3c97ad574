// The redis section: falcosidekick's keys (address, username, password, database, storagetype, key,
// tls, mutualtls, checkcert, certfile, keyfile, cacertfile) with its defaults. Validation only; no IO.
import { secret, tlsShape, z } from '../../src/plugin/index.ts';

/** "host:port", "[v6]:port", or a host alone (port 6379). */
const ADDRESS = /^(?:\[[0-9a-fA-F:.]+\]|[^\s:/[\]@]+)(?::\d{1,5})?$/;

export const redisSchema = z.object({
  address: z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || (ADDRESS.test(v) && target(v).port >= 1 && target(v).port <= 65535), {
      error: 'must be host:port, e.g. "redis:6379" (a URL such as redis://… is not read, as in falcosidekick)',
    })
    .describe('Redis server, host:port (a host without a port means 6379). Setting it turns the output on.'),
  username: z.string().default('').describe('ACL user (Redis 6+); "" = the default user.'),
  password: secret(z.string().default('').describe('Password (AUTH); "" = none.')),
  database: z
    .union([z.number(), z.string().trim().regex(/^\d*$/, 'must be a database number such as 0')])
    .default(0)
    .transform((v) => (v === '' ? 0 : Number(v)))
    .pipe(z.number().int('must be a whole number').min(0, 'must be 0 or more'))
    .describe('Database number (SELECT), a number or a string as falcosidekick reads it.'),
  storagetype: z
    .string()
    .default('list')
    .transform((v) => v.trim().toLowerCase() || 'list')
    .pipe(z.enum(['list', 'hashmap'], { error: 'must be list or hashmap' }))
    .describe('list: each alert\'s JSON appended to the list `key` (RPUSH); hashmap: a field per alert in the hash `key`, named by the alert uuid (HSET).'),
  key: z
    .string()
    .default('falco')
    .transform((v) => v || 'falco')
    .describe('Key of the list or hash ("" means the default).'),
  tls: z.boolean().default(false).describe('Connect with TLS (on by itself with mutualtls).'),
  ...tlsShape,
  certfile: z.string().default('').describe('Client certificate for mutualtls; "" = mutualtlsclient.certfile (or mutualtlsfilespath/client.crt).'),
  keyfile: z.string().default('').describe('Client key for mutualtls; "" = mutualtlsclient.keyfile (or mutualtlsfilespath/client.key).'),
});

export type RedisOptions = z.output<typeof redisSchema>;

/** host and port of `address` (validated by the schema). */
export function target(address: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(address);
  const host = (m?.[1] ?? address).replace(/^\[(.*)\]$/, '$1');
  return { host, port: m?.[2] ? Number(m[2]) : 6379 };
}
