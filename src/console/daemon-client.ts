// How the CLI reaches the running daemon's console API: the address from the config (the console's
// own listener, or the ingest listener), the token from the config. undefined when nothing answers
// there (the daemon is not running), so the caller can fall back to the spool file.
import type { BaseConfig } from '../config/base.ts';

/** The address of the config answered, but not as Peregrine does: main.ts prints the message, exit 1. */
export class DaemonError extends Error {}

export interface DaemonAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Where the console listens, as a URL a local client can use (0.0.0.0 and "" become 127.0.0.1). */
function consoleUrl(config: BaseConfig): string {
  const own = config.console.port !== 0;
  return own ? localUrl('http', config.console.address || config.listenaddress, config.console.port) : ingestUrl(config);
}

/** The ingest listener (the silences and reload APIs), as a URL a local client can use. */
export function ingestUrl(config: BaseConfig): string {
  return localUrl(config.tlsserver.deploy ? 'https' : 'http', config.listenaddress, config.listenport);
}

function localUrl(scheme: string, address: string, port: number): string {
  const host = address === '' || address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The JSON object the daemon answered; another text (a proxy's HTML page) as an error naming its first words. */
function answerBody(text: string): Record<string, unknown> {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return { error: { message: `not Peregrine's answer: ${text.slice(0, 200)}` } };
  }
}

/**
 * One call to the daemon's API, with the token and 10 s timeouts; throws when nothing answers. `own`:
 * the URL is the address of this very config, whose certificate may be self-signed and its name not
 * "127.0.0.1", so it is not verified (a --url of the user's is).
 */
export async function requestDaemon(url: string, method: 'GET' | 'POST' | 'DELETE', token: string | undefined, body: unknown, own: boolean): Promise<DaemonAnswer> {
  const { Agent, request } = await import('undici'); // here, not at startup (src/plugin/undici.ts)
  const dispatcher = own && url.startsWith('https:') ? new Agent({ connect: { rejectUnauthorized: false } }) : undefined;
  try {
    const res = await request(url, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(dispatcher ? { dispatcher } : {}),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    return { status: res.statusCode, body: answerBody(await res.body.text()) };
  } finally {
    await dispatcher?.close();
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT']);

export async function callDaemon(config: BaseConfig, method: 'GET' | 'POST', path: string, body?: unknown): Promise<DaemonAnswer | undefined> {
  if (!config.console.enabled) return undefined;
  const token = method === 'POST' ? config.console.token : config.console.token || config.console.readtoken;
  const url = consoleUrl(config);
  try {
    return await requestDaemon(`${url}${path}`, method, token, body, true);
  } catch (err) {
    const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code ?? '';
    if (UNREACHABLE.has(code)) return undefined;
    // Something answered, but not as Peregrine (another program on the port, a hung one): not a
    // reason to touch the spool file the daemon may hold.
    throw new DaemonError(`the daemon at ${url} did not answer as Peregrine: ${(err as Error).message}`);
  }
}
