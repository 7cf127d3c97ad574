// Shared HTTP for outputs: one undici Pool per destination, and one classification of responses.
import type { Dispatcher, Pool } from 'undici';
import { detached } from '../alert/detached.ts';
import { fail, ok, retry, type Outcome } from '../dispatch/result.ts';
import { abortReason } from './abort.ts';
import type { NodeTlsOptions } from './tls.ts';
import { basicAuthOf, newBasicAuthPool } from './basic-auth.ts';
import { proxiedOrigin, proxyFor } from './proxy.ts';
import { loadUndici } from './undici.ts';

export interface HttpPoolOptions {
  tls: NodeTlsOptions;
  connections: number;
  timeoutMs: number;
}

/**
 * A keep-alive pool to one origin. Request deadlines come from the worker's AbortSignal.
 * `user:pass@` in the URL becomes Basic auth on every request without an Authorization header, as
 * Go's http.Client does for falcosidekick (the origin alone would drop it silently). Through the
 * environment's HTTPS_PROXY / HTTP_PROXY (NO_PROXY), as Go's client goes (proxy.ts).
 */
export function createHttpPool(origin: string | URL, options: HttpPoolOptions): Dispatcher {
  const url = new URL(origin);
  const poolOptions: Pool.Options = {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: { ...options.tls, timeout: options.timeoutMs },
  };
  const authorization = basicAuthOf(url);
  const proxy = proxyFor(url);
  if (proxy) return proxiedOrigin(url.origin, proxy, poolOptions, authorization);
  return authorization ? newBasicAuthPool(url.origin, poolOptions, authorization) : new (loadUndici().Pool)(url.origin, poolOptions);
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body as received, for binary answers (OTLP/HTTP protobuf); set by sendHttp. */
  bytes?: Buffer;
}

const MAX_ERROR_TEXT = 4096;

/**
 * Sends one request and reads the whole response body. Rejects on network errors and when `signal`
 * aborts (with the signal's reason).
 *
 * Through `dispatch()` with a plain handler rather than `request()`: no response stream and no
 * request-handler machinery per call, which took a webhook POST from ~93 to ~66 µs of client CPU (the
 * webhook sends one request per alert, so this is most of its own cost).
 */
export function sendHttp(
  dispatcher: Dispatcher,
  request: { path: string; method: 'POST' | 'PUT' | 'GET' | 'HEAD'; headers: Record<string, string>; body?: string | Buffer; signal: AbortSignal },
): Promise<HttpResponse> {
  const { signal } = request;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<HttpResponse>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    const finish = (error: unknown, response?: HttpResponse) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (response) resolve(response);
      else reject(error);
    };
    // Before the pool starts the request there is no controller yet: the promise rejects now (the
    // caller's deadline is exact) and onRequestStart aborts the request when the pool gets to it.
    const onAbort = () => {
      controller?.abort(abortReason(signal));
      finish(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (signal.aborted) c.abort(abortReason(signal));
      },
      onResponseStart(_c, statusCode, responseHeaders) {
        if (statusCode < 200) return; // 1xx (100 Continue, 103 Early Hints): the real answer follows
        status = statusCode;
        headers = responseHeaders;
      },
      onResponseData(_c, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        // TextDecoder drops a leading UTF-8 BOM, as undici's body.text() did.
        const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        finish(undefined, { status, headers, text: utf8.decode(bytes), bytes });
      },
      onResponseError(_c, error) {
        finish(error);
      },
    };
    try {
      dispatcher.dispatch({ path: request.path, method: request.method, headers: request.headers, body: request.body ?? null }, handler);
    } catch (err) {
      finish(err); // undici reports errors through the handler; this catches a throw it did not expect
    }
  });
}

const utf8 = new TextDecoder('utf-8');


/**
 * Retry-After in ms: delta-seconds or an HTTP date (RFC 9110: a day or month name and a time of day);
 * undefined when absent, unreadable ("-1", which Date.parse takes for a year) or a date already past
 * (the destination's clock behind ours): the backoff applies then.
 */
export function retryAfterMs(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  if (!/[A-Za-z]{3}/.test(v) || !/\d{1,2}:\d{2}:\d{2}/.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) || at <= now ? undefined : at - now;
}

/**
 * A short, single-line excerpt of a response body for reasons and logs. Detached: a reason can live
 * as long as the trail or a dead letter keeps it, and a slice would keep the whole body alive.
 */
export function excerpt(text: string, max = 300): string {
  const flat = text.slice(0, MAX_ERROR_TEXT).replace(/\s+/g, ' ').trim();
  return detached(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

/** A response body as a JSON object (vendors' error bodies), or undefined when it is not one. */
export function jsonObject<T extends object = Record<string, unknown>>(text: string): T | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * docs/architecture.md#delivery: retry network errors (thrown), 408, 429 and 5xx except 501; 401/403 wait for fixed
 * credentials (retried, output marked failing); other 4xx and 3xx (redirects are not followed) are
 * permanent and go to the dead-letter store (3xx, 404, 405, 406, 410 and 415 as a whole batch: the endpoint is
 * wrong, not an alert).
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
  if (isRedirect(status)) return refusal(status, movedDetail(status, res.headers.location));
  return refusal(status, detail);
}

/** A redirect, which Peregrine does not follow (docs/falcosidekick-differences.md): where the endpoint moved, and what to do. */
function movedDetail(status: number, location: string | string[] | undefined): string {
  const to = Array.isArray(location) ? location[0] : location;
  return `HTTP ${status}: the endpoint redirects${to ? ` to ${excerpt(to)}` : ''}; Peregrine does not follow redirects: set the output's address to the final URL`;
}

/**
 * A permanent refusal with this status. A redirect (3xx), 404, 405 or 410 (a wrong address), 406 or
 * 415 (a media type or API version the endpoint does not serve) is the endpoint's, not an alert's:
 * the core does not halve the batch to find one at fault
 * (src/dispatch/retry-policy.ts), which would only multiply the refusals.
 */
const ENDPOINT_REFUSALS = new Set([404, 405, 406, 410, 415]);

export function refusal(status: number, reason: string): Outcome {
  return fail(reason, isRedirect(status) || ENDPOINT_REFUSALS.has(status) ? { whole: true } : undefined);
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}
