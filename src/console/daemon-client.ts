// How the CLI reaches the running daemon's console API: the address from the config (the console's
// own listener, or the ingest listener), the token from the config. undefined when nothing answers
// there (the daemon is not running), so the caller can fall back to the spool file.
import type { BaseConfig } from '../config/base.ts';

export interface DaemonAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Where the console listens, as a URL a local client can use (0.0.0.0 and "" become 127.0.0.1). */
function consoleUrl(config: BaseConfig): string {
  const own = config.console.port !== 0;
  const host = (own ? config.console.address || config.listenaddress : config.listenaddress) || '127.0.0.1';
  const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const scheme = !own && config.tlsserver.deploy ? 'https' : 'http';
  return `${scheme}://${local.includes(':') ? `[${local}]` : local}:${own ? config.console.port : config.listenport}`;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT']);

export async function callDaemon(config: BaseConfig, method: 'GET' | 'POST', path: string, body?: unknown): Promise<DaemonAnswer | undefined> {
  if (!config.console.enabled) return undefined;
  const token = method === 'POST' ? config.console.token : config.console.token || config.console.readtoken;
  const url = consoleUrl(config);
  // The daemon's own certificate may be self-signed and its name not "127.0.0.1": this client only
  // talks to the address of this very config.
  const { Agent, request } = await import('undici'); // here, not at startup (src/plugin/undici.ts)
  const dispatcher = url.startsWith('https:') ? new Agent({ connect: { rejectUnauthorized: false } }) : undefined;
  try {
    const res = await request(`${url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(dispatcher ? { dispatcher } : {}),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await res.body.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { error: { message: text.slice(0, 200) } };
    }
    return { status: res.statusCode, body: parsed };
  } catch (err) {
    const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code ?? '';
    if (UNREACHABLE.has(code)) return undefined;
    throw err;
  } finally {
    await dispatcher?.close();
  }
}
