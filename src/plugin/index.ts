// The SDK outputs import. Everything an output needs, and nothing about how the core delivers.
import type { z } from 'zod';
import type { OutputPlugin } from './types.ts';

export { z } from 'zod';
export { ok, retry, fail, partial, type Outcome, type SendResult } from '../dispatch/result.ts';
export { createHttpPool, sendHttp, classifyHttp, retryAfterMs, excerpt, type HttpResponse } from './http.ts';
export { tlsShape, loadTls, type TlsOptions, type ClientTls } from './tls.ts';
export { httpUrl, optionalHttpUrl, customHeaders } from './schema.ts';
export { raceSignal, abortReason } from './abort.ts';
export { blameWholeCall, chunkBySize, sendChunks, settle } from './batch.ts';
export { redactUrl } from '../config/redact.ts';
export type { Clock } from '../dispatch/clock.ts';
export { secret } from '../config/secret.ts';
export type { Alert } from '../alert/alert.ts';
export { serializeAlert } from '../alert/serialize.ts';
export { epochMillis, epochNanos, epochSecondsText } from '../alert/time.ts';
export type * from './types.ts';

/** Declares an output. Identity at run time; it exists so the types flow from the schema. */
export function defineOutput<Schema extends z.ZodObject, Client = undefined>(plugin: OutputPlugin<Schema, Client>): OutputPlugin<Schema, Client> {
  return plugin;
}
