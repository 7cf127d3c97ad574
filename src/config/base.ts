// Global keys, spelled as in falcosidekick; new knobs are lower-case and carry their unit.
import { z } from 'zod';
import { secret } from './secret.ts';
import { SilencesSchema } from '../noise/schema.ts';

const file = (what: string) => z.string().default('').describe(what);

export const baseShape = {
  listenaddress: z.string().default('').describe('Address to listen on; "" = all interfaces.'),
  listenport: z.number().int().min(0).max(65535).default(2801).describe('Port Falco http_output posts to.'),
  debug: z.boolean().default(false).describe('falcosidekick compatibility: true is the same as loglevel: debug.'),
  loglevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info').describe('Log level. info logs state changes, never one line per alert.'),
  customfields: z.record(z.string(), z.string()).default({}).describe('Static key/values added to every alert\'s output_fields. Env: CUSTOMFIELDS="a:b,c:d".'),
  customtags: z.array(z.string()).default([]).describe('Tags appended to every alert (de-duplicated). Env: CUSTOMTAGS="a,b".'),
  templatedfields: z
    .record(z.string(), z.string())
    .default({})
    .describe('Fields computed per alert from a Handlebars (or falcosidekick Go-template) expression, stored in output_fields.'),
  bracketreplacer: z.string().default('').describe('When set, "[" in output_fields keys is replaced by this string and "]" removed, as falcosidekick does (proc.aname[2] → proc.aname_2).'),
  outputfieldformat: z.string().default('').describe('falcosidekick key, accepted and ignored: Peregrine sends output unchanged.'),
  mutualtlsfilespath: z.string().default('/etc/certs').describe('Folder with client.crt, client.key and ca.crt for outputs with mutualtls: true.'),
  mutualtlsclient: z
    .object({
      certfile: file('Client certificate for mutual TLS to outputs (overrides mutualtlsfilespath).'),
      keyfile: file('Client key for mutual TLS to outputs.'),
      cacertfile: file('CA for outputs that use mutual TLS.'),
    })
    .prefault({})
    .describe('Client certificate for outputs with mutualtls: true.'),
  tlsclient: z.object({ cacertfile: file('Extra CA trusted for every output\'s server certificate.') }).prefault({}).describe('Client TLS.'),
  tlsserver: z
    .object({
      deploy: z.boolean().default(false).describe('Serve ingest over TLS.'),
      certfile: z.string().default('/etc/certs/server/server.crt').describe('Server certificate (PEM).'),
      keyfile: z.string().default('/etc/certs/server/server.key').describe('Server key (PEM).'),
      mutualtls: z.boolean().default(false).describe('Require a client certificate signed by cacertfile.'),
      cacertfile: z.string().default('/etc/certs/server/ca.crt').describe('CA for client certificates.'),
      notlsport: z.number().int().min(0).max(65535).default(0).describe('Extra plain-HTTP port for notlspaths (0 = off).'),
      notlspaths: z.array(z.string()).default(['/healthz', '/ping']).describe('Paths served on notlsport.'),
    })
    .prefault({})
    .describe('Ingest TLS (falcosidekick keys).'),
  ingest: z
    .object({
      token: secret(z.string().default('').describe('When set, POST / and /test require "Authorization: Bearer <token>".')),
      maxbodybytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(8 * 1024 * 1024).describe('Largest request body, after gunzip (413 beyond).'),
    })
    .prefault({})
    .describe('Ingest protection and limits.'),
  shutdown: z
    .object({ drainms: z.number().int().min(0).max(600_000).default(20_000).describe('On SIGTERM, how long queues may keep delivering.') })
    .prefault({})
    .describe('Graceful shutdown.'),
  spool: z
    .object({
      enabled: z.boolean().default(false).describe('Keep every accepted alert on disk until each of its outputs has it: it survives crashes and restarts. On in the Docker image and the Helm chart.'),
      dir: z.string().default('./data').describe('Folder of the spool database (peregrine.db, SQLite in WAL mode).'),
      maxbytes: z.number().int().min(1024 * 1024).default(1024 * 1024 * 1024).describe('Alert bytes kept in the spool; when full, the lowest-priority alerts are evicted first and a new alert that is not higher than all of them is refused (507).'),
      fsync: z
        .enum(['normal', 'full'])
        .default('normal')
        .describe('normal: an acknowledged alert survives a crash of Peregrine, and a power loss can lose the last commits (up to the WAL checkpoint); full: fsync on every commit, survives power loss, slower.'),
    })
    .prefault({})
    .describe('Durable spool (SQLite via node:sqlite).'),
  deadletter: z
    .object({ maxentries: z.number().int().min(1).default(10_000).describe('Dead letters kept in memory (oldest evicted first, counted).') })
    .prefault({})
    .describe('Dead-letter store for alerts an output refused or could not deliver within its retry budget.'),
  silences: SilencesSchema,
};

export const BaseSchema = z.object(baseShape);
export type BaseConfig = z.output<typeof BaseSchema>;
