// The SDK outputs import. Everything an output needs, and nothing about how the core delivers.
import type { z } from 'zod';
import type { OutputPlugin } from './types.ts';

export { z } from 'zod';
export { ok, retry, fail, partial, notOwn, type Outcome, type SendResult } from '../dispatch/result.ts';
export { createHttpPool, sendHttp, classifyHttp, refusal, retryAfterMs, excerpt, jsonObject, type HttpResponse } from './http.ts';
export { proxyFor } from './proxy.ts';
export { sendEach } from './each.ts';
export { tlsShape, loadTls, type TlsOptions, type ClientTls } from './tls.ts';
export { httpUrl, optionalHttpUrl, customHeaders, maxConcurrentRequests, legacyConcurrency, keyValueMap, commaList, lowerEnum, isHeaderValue, HEADER_VALUE_PROBLEM } from './schema.ts';
export { alertField, scalarText, stableKey, truncate } from './fields.ts';
export { raceSignal, abortReason } from './abort.ts';
export { blameWholeCall, chunkBySize, sendChunks, settle } from './batch.ts';
export { redactUrl } from '../config/redact.ts';
/** falcosidekick's `gcp:` section (credentials), for the GCP outputs; no Google package is loaded here. */
export { gcpShared, gcpKeyFile, type GcpKeyFile } from './gcp.ts';
/** The yaml package, loaded on first use (12 MB of RSS a daemon that reads no YAML never pays). */
export { loadYaml } from '../config/yaml.ts';
export type { Clock } from '../dispatch/clock.ts';
export { secret } from '../config/secret.ts';
/** The core's minimumpriority rule, for an output that also accepts falcosidekick's nested spelling of it. */
export { minimumPriority } from '../config/common.ts';
export type { Alert } from '../alert/alert.ts';
export { PRIORITIES, PRIORITY_NAMES, parsePriority, priorityRank, type Priority } from '../alert/priority.ts';
export { serializeAlert } from '../alert/serialize.ts';
export { newFields } from '../alert/fields.ts';
export { epochMillis, epochNanos, epochSecondsText, goTimeText, rfc3339Nanos } from '../alert/time.ts';
export { FALCOSIDEKICK_ICON, FALCOSIDEKICK_PLAIN_ICON, fieldTexts, messageFormat, messageFormatProblems, tagsText, type RenderText } from './message.ts';
export { burstFacts, type BurstFacts } from './burst.ts';
export { compileTemplateSource, templateContext, type TemplateContext } from '../enrich/templates.ts';
export type * from './types.ts';

/** Declares an output. Identity at run time; it exists so the types flow from the schema. */
export function defineOutput<Schema extends z.ZodObject, Client = undefined>(plugin: OutputPlugin<Schema, Client>): OutputPlugin<Schema, Client> {
  return plugin;
}
