// Core-owned keys that every output has. Plugins may not redeclare them (the contract test checks).
import { z } from 'zod';
import { parsePriority, PRIORITY_NAMES } from '../alert/priority.ts';
import { MatchSchema } from '../routing/match-schema.ts';
import { noiseOutputShape } from '../noise/schema.ts';

export const minimumPriority = z
  .string()
  .refine((v) => v === '' || parsePriority(v) !== undefined, {
    error: (issue) => `"${String(issue.input)}" is not a Falco priority; use one of ${PRIORITY_NAMES} (any case), or "" for all`,
  })
  .default('')
  .describe('Lowest priority this output receives. "" sends everything. An unknown value is a startup error, never "all".');

const ms = (min: number, max: number) => z.number().int().min(min).max(max);

const RetrySchema = z
  .object({
    initialbackoffms: ms(1, 600_000).default(500).describe('First retry delay; doubles per consecutive failure, with full jitter.'),
    maxbackoffms: ms(1, 3_600_000).default(60_000).describe('Upper bound of the retry delay. A Retry-After header wins, up to this bound.'),
    maxattempts: z.number().int().min(0).default(0).describe('Attempts per alert before it is dead-lettered; 0 = no limit (maxagems still applies).'),
    probems: ms(0, 600_000)
      .default(1000)
      .describe(
        'While the output backs off after failures, one alert is sent this often to see whether the destination is back; on the first success the whole queue goes out at once. Never sooner than a Retry-After. 0 = no probes (wait out the backoff).',
      ),
    maxagems: ms(0, 7 * 24 * 3_600_000)
      .default(3_600_000)
      .describe('An alert still undelivered this long after it was received is dead-lettered; 0 = no limit.'),
  })
  .prefault({})
  .describe('Retry policy: network errors, timeouts, 408, 429 and 5xx (except 501) are retried; other rejections are dead-lettered.');

const QueueSchema = z
  .object({
    maxalerts: z.number().int().min(1).default(100_000).describe('Queued alerts before shedding starts (lowest priority first). Memory-only mode: with the spool on, the spool (spool.maxbytes) is the bound and nothing acknowledged is shed from memory.'),
    maxbytes: z.number().int().min(1024).default(128 * 1024 * 1024).describe('Queued bytes (serialised alerts; a deep backlog is held deflated, in about a third of that, but counted as its JSON) before shedding starts. Memory-only mode, like maxalerts.'),
  })
  .prefault({})
  .describe('Bounded per-output queue. When full, the lowest-priority alerts are shed first and every drop is counted.');

const BatchSchema = z
  .object({
    maxevents: z.number().int().min(1).optional().describe('Alerts per request (default: the output\'s own).'),
    maxbytes: z.number().int().min(1).optional().describe('Bytes per request (default: the output\'s own).'),
    flushms: ms(0, 600_000).optional().describe('How long a partial batch may wait for more alerts (default: the output\'s own).'),
  })
  .prefault({})
  .describe('Batching, for outputs that send several alerts per request.');

const SendRateSchema = z
  .object({
    requestspersecond: z
      .number()
      .min(0)
      .max(100_000)
      .optional()
      .describe('Requests this output may send per second (a token bucket on the core\'s clock; probes and retries count). 0 = no limit. Default: the output\'s own (none for most).'),
    burst: z.number().int().min(1).max(100_000).optional().describe('Requests that may go at once above requestspersecond after a quiet period. Default: the output\'s own, else 1.'),
  })
  .prefault({})
  .describe('A request rate limit for the destination (like Vector\'s request rate limit): batches wait for a token instead of being refused by the destination.');

export const commonOutputShape = {
  minimumpriority: minimumPriority,
  maxconcurrency: z.number().int().min(1).max(256).optional().describe('Requests in flight at once (default: the output\'s own).'),
  timeoutms: ms(100, 600_000).default(10_000).describe('Deadline for one request, connection included. falcosidekick has none.'),
  retry: RetrySchema,
  queue: QueueSchema,
  batch: BatchSchema,
  sendrate: SendRateSchema,
  match: MatchSchema.optional(),
  customfields: z
    .record(z.string(), z.string())
    .default({})
    .describe('Static key/values added to output_fields for this output only, on top of the global customfields (docs/routing.md).'),
  templatedfields: z
    .record(z.string(), z.string())
    .default({})
    .describe('Templated fields for this output only, rendered after the global enrichment (they see the global fields).'),
  ...noiseOutputShape,
};

export const RESERVED_KEYS = Object.keys(commonOutputShape);
export type CommonOutputConfig = z.output<z.ZodObject<typeof commonOutputShape>>;
