// trail: the per-alert delivery trail (console, `peregrine explain`).
import { z } from 'zod';

const MiB = 1024 * 1024;

export const trailSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe('Record each alert\'s delivery trail: received at and from, which outputs took it (or why not), every attempt, and how each output ended. Read it with `peregrine explain UUID` or the console.'),
    maxalerts: z.number().int().min(1).max(10_000_000).default(10_000).describe('Memory-only mode (spool off): alerts kept in the trail, oldest dropped first.'),
    memorymaxbytes: z.number().int().min(MiB).default(32 * MiB).describe('Memory-only mode (spool off): bytes the trail may hold (alert JSON plus bookkeeping), oldest dropped first.'),
    maxbytes: z.number().int().min(MiB).default(256 * MiB).describe('With the spool on, the trail lives in spool.dir/peregrine-trail.db: bytes it may use there, oldest deleted first.'),
    maxagems: z
      .number()
      .int()
      .min(60_000)
      .default(7 * 24 * 3_600_000)
      .describe('With the spool on: trail records older than this are deleted (default 7 days).'),
  })
  .prefault({})
  .describe('Delivery trail: per alert, where it went and why. In memory when the spool is off, in SQLite beside the spool (spool.dir/peregrine-trail.db) when it is on.');
