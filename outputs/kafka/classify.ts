// kafkajs errors as delivery outcomes. kafkajs wraps the broker's error (KafkaJSNumberOfRetriesExceeded,
// KafkaJSNonRetriableError → cause), so the chain is searched for what the broker or the SASL exchange said.
import { fail, retry, type Outcome } from '../../src/plugin/index.ts';

interface KafkaishError extends Error {
  type?: string;
  cause?: unknown;
  originalError?: unknown;
}

const AUTH_TYPES = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
]);
/** The broker will never take this record as it is: retrying cannot help a batch of one. */
const TOO_LARGE_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

function chain(err: unknown): KafkaishError[] {
  const out: KafkaishError[] = [];
  let current: unknown = err;
  while (current instanceof Error && !out.includes(current) && out.length < 8) {
    out.push(current);
    const e: KafkaishError = current;
    current = e.cause ?? e.originalError;
  }
  return out;
}

/** The innermost error's message, prefixed with the broker error type when there is one. */
export function describeKafkaError(err: unknown): string {
  const errors = chain(err);
  const inner = errors[errors.length - 1];
  if (!inner) return String(err);
  const typed = errors.find((e) => typeof e.type === 'string');
  const message = inner.message || inner.name;
  return typed?.type && !message.includes(typed.type) ? `${typed.type}: ${message}` : message;
}

export function isAuthError(err: unknown): boolean {
  return chain(err).some((e) => e.name === 'KafkaJSSASLAuthenticationError' || (e.type !== undefined && AUTH_TYPES.has(e.type)));
}

/** What the worker should do with a batch whose send threw `err`. */
export function classifyKafkaError(err: unknown, batchSize: number, hint: { username: string; sasl: string }): Outcome {
  const what = describeKafkaError(err);
  if (isAuthError(err)) return retry(`${what} (${authHint(hint)})`, { auth: true });
  const type = chain(err).find((e) => e.type !== undefined)?.type;
  if (type !== undefined && TOO_LARGE_TYPES.has(type)) {
    return batchSize === 1
      ? fail(`the broker refused the record: ${what}`)
      : retry(`${what}: lower kafka.batch.maxbytes below the broker's message.max.bytes`);
  }
  if (type === 'UNKNOWN_TOPIC_OR_PARTITION') return retry(`${what}: create the topic or set kafka.topiccreation: true`);
  return retry(what);
}

export function authHint({ username, sasl }: { username: string; sasl: string }): string {
  return sasl
    ? `check kafka.username ("${username}"), kafka.password and kafka.sasl (${sasl})`
    : 'the broker requires authentication: set kafka.sasl, kafka.username and kafka.password, or a client certificate';
}
