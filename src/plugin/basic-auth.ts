// Basic auth from a URL's userinfo (https://user:pass@host/…), for every output that takes a URL
// through createHttpPool: falcosidekick's Go client sends it, so receivers configured that way
// depend on it. An Authorization header set by the output (customheaders, a token) wins.
import { Pool, type Dispatcher } from 'undici';

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

function withAuthorization(headers: Headers, authorization: string): Headers {
  const list = flat(headers);
  if (list.some((h, i) => i % 2 === 0 && String(h).toLowerCase() === 'authorization')) return headers;
  return [...list, 'authorization', authorization] as Headers;
}

export class BasicAuthPool extends Pool {
  private readonly authorization: string;

  constructor(origin: string, options: Pool.Options, authorization: string) {
    super(origin, options);
    this.authorization = authorization;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return super.dispatch({ ...options, headers: withAuthorization(options.headers, this.authorization) }, handler);
  }
}
