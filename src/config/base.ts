// Global keys, spelled as in falcosidekick; new knobs are lower-case and carry their unit.
import { z } from 'zod';
import { listOrString, pairsOrString } from './forms.ts';
import { secret } from './secret.ts';
import { SilencesSchema } from '../noise/schema.ts';
import { consoleSchema } from '../console/config.ts';
import { trailSchema } from '../trail/config.ts';

const file = (what: string) => z.string().default('').describe(what);

export const baseShape = {
  listenaddress: z.string().default('').describe('Address to listen on; "" = all interfaces.'),
  listenport: z.number().int().min(0).max(65535).default(2801).describe('Port Falco http_output posts to.'),
  debug: z.boolean().default(false).describe('As in falcosidekick: log every accepted alert (secret-looking fields redacted) at debug level; implies loglevel: debug.'),
  loglevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info').describe('Log level. info logs state changes, never one line per alert.'),
  customfields: pairsOrString()
    .default({})
    .describe(
      'Static key/values added to every alert\'s output_fields (a map, or "a:b,c:d"). Keys from the file are lower-cased, as falcosidekick\'s config reader does. Env: CUSTOMFIELDS="a:b,c:%VAR" (%VAR reads the env var VAR).',
    ),
  customtags: listOrString().default([]).describe('Tags appended to every alert (de-duplicated, then all tags sorted as falcosidekick does; a list or "a,b"). Env: CUSTOMTAGS="a,b".'),
  templatedfields: pairsOrString()
    .default({})
    .describe('Fields computed per alert from a Handlebars (or falcosidekick Go-template) expression, stored in output_fields.'),
  bracketreplacer: z.string().default('').describe('When set, "[" in output_fields keys is replaced by this string and "]" removed, as falcosidekick does (proc.aname[2] → proc.aname_2).'),
  outputfieldformat: z
    .string()
    .default('')
    .describe(
      'Rewrites each alert\'s output line, as falcosidekick does, when it looks like Falco\'s "<time>: <Priority> <text>": placeholders <timestamp>, <priority>, <output>, <custom_fields>, <templated_fields>, <tags>. "" = unchanged.',
    ),
  prometheus: z
    .object({
      extralabels: z
        .string()
        .default('')
        .describe('Comma-separated output_fields keys added as labels of falcosecurity_falcosidekick_falco_events_total (dots become _), e.g. "k8s.pod.name,container.image.repository". Series stay capped.'),
      podlabel: z
        .boolean()
        .default(false)
        .describe('Fill the k8s_pod_name label of falcosecurity_falcosidekick_falco_events_total (falcosidekick always does). Off by default: one series per pod churns; the label is present and empty.'),
    })
    .prefault({})
    .describe('The falco events counter\'s labels (falcosidekick\'s prometheus section).'),
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
      notlsport: z.number().int().min(1).max(65535).default(2810).describe('Plain-HTTP port that serves notlspaths when deploy is true.'),
      notlspaths: listOrString()
        .default([])
        .describe(
          'With deploy: paths served over plain HTTP on notlsport and no longer over TLS, as in falcosidekick (e.g. [/ping, /healthz] for probes; "/" moves alert ingest too). /ui or /api/v1 moves the whole console (its page and API; not moved by "/"). [] = no plain port. A list or "/ping,/healthz".',
        ),
    })
    .prefault({})
    .describe('Ingest TLS (falcosidekick keys).'),
  ingest: z
    .object({
      token: secret(z.string().default('').describe('When set, POST / and /test require "Authorization: Bearer <token>".')),
      maxbodybytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(8 * 1024 * 1024).describe('Largest request body, after gunzip (413 beyond).'),
      maxconnectionagems: z
        .number()
        .int()
        .min(0)
        .max(24 * 3_600_000)
        .default(300_000)
        .describe(
          'A keep-alive connection older than this gets "Connection: close" on its next reply, so the client reconnects and the Service can send it to another replica (Falco keeps one connection per node for life otherwise). 0 = never.',
        ),
      maxrequestsperconnection: z.number().int().min(0).default(0).describe('Requests served on one keep-alive connection before it is closed after the reply (0 = no limit).'),
      maxfields: z
        .number()
        .int()
        .min(16)
        .max(1_000_000)
        .default(1000)
        .describe('Most keys and list items one alert may carry, at every depth (400 beyond; nesting is limited to 32 levels). Falco alerts carry a few dozen fields.'),
      requesttimeoutms: z
        .number()
        .int()
        .min(1000)
        .max(600_000)
        .default(30_000)
        .describe('Time a client has to send a whole request, headers included (headers: at most 10 s); a slower one gets 408 and is disconnected.'),
      maxconnections: z
        .number()
        .int()
        .min(1)
        .max(1_000_000)
        .default(1000)
        .describe('Most open ingest connections per listener (each Falco keeps one; with tlsserver.notlspaths the plain listener has its own); more are refused, counted (peregrine_ingest_connections_refused_total) and logged. Keep it below the open-files limit (ulimit -n) minus what outputs use.'),
    })
    .prefault({})
    .describe('Ingest protection and limits.'),
  shutdown: z
    .object({ drainms: z.number().int().min(0).max(600_000).default(20_000).describe('On SIGTERM, how long queues may keep delivering.') })
    .prefault({})
    .describe('Graceful shutdown.'),
  spool: z
    .object({
      enabled: z.boolean().default(true).describe('Keep every accepted alert on disk until each of its outputs has it: it survives crashes and restarts, and a backlog is bounded by spool.maxbytes instead of the memory queues. On by default; false is memory-only mode, where a full queue sheds alerts that were already acknowledged (lowest priority first, counted).'),
      dir: z.string().default('./data').describe('Folder of the spool database (peregrine.db, SQLite in WAL mode), relative to the working directory. It must be writable by the daemon\'s user; one daemon per folder.'),
      maxbytes: z.number().int().min(1024 * 1024).default(1024 * 1024 * 1024).describe('Alert bytes kept in the spool; when full, the lowest-priority alerts are evicted first and a new alert that is not higher than all of them is refused (507).'),
      fsync: z
        .enum(['normal', 'full'])
        .default('normal')
        .describe(
          'normal: an acknowledged alert survives a crash or kill -9 of Peregrine (the OS holds the write: to the spool\'s intake log when requests come one at a time, of the commit otherwise); a power loss or kernel crash can lose what the OS had not written back: the commits since the last WAL checkpoint (at most ~30 s, the maintenance interval) and the intake log\'s last ~30 s. full: fsync on every commit and no intake log, so it also survives power loss; slower (one fsync per group commit). Either way a WAL found damaged at start is reported: the acknowledged alerts it lost are counted (peregrine_spool_lost_alerts_total) and logged as an error. See docs/spool.md.',
        ),
    })
    .prefault({})
    .describe('Durable spool (SQLite via node:sqlite).'),
  deadletter: z
    .object({
      maxentries: z.number().int().min(1).default(10_000).describe('Dead letters kept in memory (oldest evicted first, counted).'),
      maxbytes: z
        .number()
        .int()
        .min(1024 * 1024)
        .default(64 * 1024 * 1024)
        .describe('Bytes of dead letters (their alerts\' JSON) kept in memory; past it the oldest are evicted, counted in peregrine_dead_letter_evicted_total. With the spool on, dead letters are on disk (within spool.maxbytes\' volume) instead.'),
    })
    .prefault({})
    .describe('Dead-letter store for alerts an output refused or could not deliver within its retry budget.'),
  reload: z
    .object({
      watch: z.boolean().default(true).describe('Reload when the config file changes (debounced; follows the symlink swap Kubernetes does for a mounted ConfigMap). SIGHUP and POST /api/v1/reload reload either way. Needs a restart to change.'),
      debouncems: z.number().int().min(0).max(60_000).default(1000).describe('How long the file must be quiet before a change is reloaded (ms): an editor or a ConfigMap update writes in several steps.'),
    })
    .prefault({})
    .describe('Hot reload: outputs, routes, enrichment, noise control and log level change without a restart (docs/reload.md).'),
  silences: SilencesSchema,
  trail: trailSchema,
  console: consoleSchema,
};

export const BaseSchema = z.object(baseShape);
export type BaseConfig = z.output<typeof BaseSchema>;
