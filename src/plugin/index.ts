// The SDK outputs import. Everything an output needs, and nothing about how the core delivers.
import type { z } from 'zod';
import type { OutputPlugin } from './types.ts';

export { z } from 'zod';
export { ok, retry, fail, partial, type Outcome, type SendResult } from '../dispatch/result.ts';
export { createHttpPool, sendHttp, classifyHttp, retryAfterMs, excerpt, type HttpResponse } from './http.ts';
export { tlsShape, loadTls, type TlsOptions, type ClientTls } from './tls.ts';
export { secret } from '../config/secret.ts';
export type { Alert } from '../ingest/alert.ts';
export { serializeAlert } from '../ingest/serialize.ts';
export { epochMillis, epochNanos, epochSecondsText } from '../ingest/time.ts';
export type * from './types.ts';

/** Declares an output. Identity at run time; it exists so the types flow from the schema. */
export function defineOutput<Schema extends z.ZodObject, Client = undefined>(plugin: OutputPlugin<Schema, Client>): OutputPlugin<Schema, Client> {
  return plugin;
}
