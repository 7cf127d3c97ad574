// Noise-control keys: `dedupe` and `ratelimit` on every output (added to the core keys in
// config/common.ts), and the root `silences` list (config/base.ts). docs/noise-control.md.
import { z } from 'zod';
import { secret } from '../config/secret.ts';
import { MatchSchema } from '../routing/match-schema.ts';
import { DURATION_HELP, MAX_SILENCE_MS, parseDuration } from './duration.ts';
import { keyPathProblem } from './key.ts';

const DEFAULT_KEYS = ['rule', 'hostname', 'output_fields.k8s.ns.name', 'output_fields.k8s.pod.name'];
const DEFAULT_SAMPLE_FIELDS = ['hostname', 'output_fields.k8s.ns.name', 'output_fields.k8s.pod.name', 'output_fields.container.name'];

const keyPath = z.string().superRefine((path, ctx) => {
  const problem = keyPathProblem(path);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const RedisSchema = z
  .object({
    address: z.string().default('').describe('host:port of the Redis server (or redis://, rediss:// URL). Required with store: redis.'),
    username: z.string().default('').describe('ACL user ("" = default user).'),
    password: secret(z.string().default('').describe('Password (AUTH).')),
    tls: z.boolean().default(false).describe('Connect over TLS (the CA of tlsclient.cacertfile is trusted).'),
    db: z.number().int().min(0).max(15).default(0).describe('Database number.'),
    keyprefix: z.string().default('peregrine:noise:').describe('Prefix of every key Peregrine writes (shared by the replicas that dedupe together).'),
    timeoutms: z.number().int().min(1).max(10_000).default(100).describe('Deadline of one Redis command; past it the alert is delivered (fail open) and counted in peregrine_dedupe_store_errors_total.'),
  })
  .prefault({})
  .describe('Redis for cluster-wide dedupe (dedupe.store: redis).');

const DedupeSchema = z
  .object({
    windowms: z.number().int().min(0).max(7 * 86_400_000).default(0).describe('Repeats of a key within this window after its first alert are held back and counted; 0 = dedupe off.'),
    keys: z.array(keyPath).min(1).default(DEFAULT_KEYS).describe('What makes two alerts "the same": rule, priority, source, hostname, output, tags or output_fields.<field> (e.g. output_fields.k8s.pod.name). A missing field is a value of its own.'),
    summary: z.boolean().default(true).describe('At the end of a window that held repeats back, send one summary alert (count, first/last seen, what varied).'),
    samplefields: z.array(keyPath).default(DEFAULT_SAMPLE_FIELDS).describe('Fields whose distinct values the summary lists (fields of the key never vary and are skipped).'),
    samplemax: z.number().int().min(0).max(100).default(10).describe('Distinct values kept per sample field.'),
    maxkeys: z.number().int().min(1).max(10_000_000).default(100_000).describe('Keys tracked per output; past it the oldest key is evicted (its summary sent early) and counted in peregrine_dedupe_evicted_total.'),
    maxbytes: z
      .number()
      .int()
      .min(1_048_576)
      .max(16 * 1024 ** 3)
      .default(64 * 1024 ** 2)
      .describe('Bytes the open windows may hold per output: each keeps its first alert (its JSON bytes count) for the summary, and its sample values (each cut to 256 characters). Past it the oldest key is evicted, as past maxkeys.'),
    store: z.enum(['memory', 'redis']).default('memory').describe('memory: per replica (kept in the spool across restarts when the spool is on); redis: shared by every replica.'),
    redis: RedisSchema,
  })
  .refine((d) => d.store !== 'redis' || d.redis.address !== '', { message: 'store: redis needs redis.address (host:port)', path: ['redis', 'address'] })
  .prefault({})
  .describe('Page once: hold back repeats of the same alert (by key) for a window and summarise them (docs/noise-control.md).');

const RateLimitSchema = z
  .object({
    max: z.number().int().min(0).default(0).describe('Alerts per dedupe key (dedupe.keys) sent per perms; more are held back and counted; 0 = off. Summaries are not limited.'),
    perms: z.number().int().min(1000).max(30 * 86_400_000).default(3_600_000).describe('The period of ratelimit.max, in ms, starting at the first alert of the key.'),
  })
  .prefault({})
  .describe('Alerts per dedupe key: a cap across dedupe windows (docs/noise-control.md).');

export const noiseOutputShape = { dedupe: DedupeSchema, ratelimit: RateLimitSchema };

const instant = z.string().refine((t) => !Number.isNaN(Date.parse(t)) && /^\d{4}-\d\d-\d\dT/.test(t), 'until must be an RFC 3339 time such as 2026-11-20T18:00:00Z');
const duration = z.union([z.string(), z.number()]).superRefine((d, ctx) => {
  // A number too big to be a safe integer is still "too long", not "not a duration".
  const ms = typeof d === 'number' && d > MAX_SILENCE_MS ? d : parseDuration(d);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: `for must be ${DURATION_HELP}` });
  else if (ms > MAX_SILENCE_MS) {
    ctx.addIssue({ code: 'custom', message: `for must be at most 365d (got ${JSON.stringify(d)}): give a shorter one and renew the silence if needed, or an until with a fixed end (RFC 3339)` });
  }
});

export const SilenceSpecSchema = z
  .object({
    match: MatchSchema.describe('Which alerts the silence mutes (the routing match syntax, docs/routing.md).'),
    until: instant.optional().describe('When the silence ends (RFC 3339).'),
    for: duration.optional().describe(`How long the silence lasts from when it is loaded: ${DURATION_HELP}; at most 365d.`),
    reason: z.string().min(1, 'give a reason (who silenced what, and why)').describe('Why (shown in peregrine silence list and logs).'),
    outputs: z.array(z.string().min(1)).min(1).optional().describe('Outputs the silence applies to (default: all).'),
  })
  .strict()
  .refine((s) => (s.until === undefined) !== (s.for === undefined), { message: 'give exactly one of until and for' });

export const SilencesSchema = z
  .array(SilenceSpecSchema)
  .default([])
  .describe('Silences: alerts they match are held back (counted as suppressed, reason silence) until they expire. Add more at run time with `peregrine silence add`.');

export type DedupeConfig = z.output<typeof DedupeSchema>;
export type RateLimitConfig = z.output<typeof RateLimitSchema>;
export type SilenceSpec = z.output<typeof SilenceSpecSchema>;
export type RedisConfig = z.output<typeof RedisSchema>;
