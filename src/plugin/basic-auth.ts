// Basic auth from a URL's userinfo (https://user:pass@host/…), for every output that takes a URL
// through createHttpPool: falcosidekick's Go client sends it, so receivers configured that way
// depend on it. An Authorization header set by the output (customheaders, a token) wins.
import type { Dispatcher, Pool } from 'undici';
import { loadUndici } from './undici.ts';

/** `Basic base64(user:pass)` for a URL with userinfo (percent-decoded), else undefined. */
export function basicAuthOf(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
}

type Headers = Dispatcher.DispatchOptions['headers'];

/** Headers as a flat [name, value, …] list, whatever form the caller used. */
function flat(headers: Headers): unknown[] {
  if (!headers) return [];
  if (Array.isArray(headers)) return headers;
  const pairs = typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function' ? [...(headers as Iterable<[string, unknown]>)] : Object.entries(headers);
  return pairs.flat();
}

/** The headers with `authorization` added, unless they carry one (any letter case) already. */
export function withAuthorization(headers: Headers, authorization: string): Headers {
  const list = flat(headers);
  if (list.some((h, i) => i % 2 === 0 && String(h).toLowerCase() === 'authorization')) return headers;
  return [...list, 'authorization', authorization] as Headers;
}

type BasicAuthPoolClass = new (origin: string, options: Pool.Options, authorization: string) => Pool;
let basicAuthPool: BasicAuthPoolClass | undefined;

/** A Pool that adds the Authorization header; the class is made on first use (undici loads then, see undici.ts). */
export function newBasicAuthPool(origin: string, options: Pool.Options, authorization: string): Pool {
  basicAuthPool ??= class BasicAuthPool extends loadUndici().Pool {
    private readonly authorization: string;

    constructor(o: string, opts: Pool.Options, auth: string) {
      super(o, opts);
      this.authorization = auth;
    }

    override dispatch(dispatchOptions: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      return super.dispatch({ ...dispatchOptions, headers: withAuthorization(dispatchOptions.headers, this.authorization) }, handler);
    }
  };
  return new basicAuthPool(origin, options, authorization);
}
