// Shared HTTP for outputs: one undici Pool per destination, and one classification of responses.
import { Pool, type Dispatcher } from 'undici';
import { fail, ok, retry, type Outcome } from '../dispatch/result.ts';
import type { NodeTlsOptions } from './tls.ts';

export interface HttpPoolOptions {
  tls: NodeTlsOptions;
  connections: number;
  timeoutMs: number;
}

/** A keep-alive pool to one origin. Request deadlines come from the worker's AbortSignal. */
export function createHttpPool(origin: string | URL, options: HttpPoolOptions): Pool {
  return new Pool(new URL(origin).origin, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: { ...options.tls, timeout: options.timeoutMs },
  });
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const MAX_ERROR_TEXT = 4096;

/** Sends one request and reads the whole (small) response body. Throws on network errors and aborts. */
export async function sendHttp(
  dispatcher: Dispatcher,
  request: { path: string; method: 'POST' | 'PUT' | 'GET' | 'HEAD'; headers: Record<string, string>; body?: string | Buffer; signal: AbortSignal },
): Promise<HttpResponse> {
  const res = await dispatcher.request({
    path: request.path,
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
    signal: request.signal,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text };
}

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A short, single-line excerpt of a response body for reasons and logs. */
export function excerpt(text: string, max = 300): string {
  const flat = text.slice(0, MAX_ERROR_TEXT).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * DESIGN §4: retry network errors (thrown), 408, 429 and 5xx except 501; 401/403 wait for fixed
 * credentials (retried, output marked failing); other 4xx are permanent and go to the dead-letter store.
 */
export function classifyHttp(res: HttpResponse, now: number = Date.now()): Outcome {
  const { status } = res;
  if (status >= 200 && status < 300) return ok();
  const detail = `HTTP ${status}${res.text ? `: ${excerpt(res.text)}` : ''}`;
  if (status === 401 || status === 403) return retry(`${detail} (credentials refused: check the output's token/username/password)`, { auth: true });
  if (status === 408 || status === 429 || (status >= 500 && status !== 501)) {
    const afterMs = retryAfterMs(res.headers['retry-after'], now);
    return retry(detail, afterMs === undefined ? undefined : { afterMs });
  }
  return fail(detail);
}
