// Is the cluster reachable and are the credentials good? One call, a message a human can act on.
import type { HealthResult } from '../../src/plugin/index.ts';
import { bodyText, errorReason } from './bulk-response.ts';
import type { EsTransport } from './transport.ts';

const CREDENTIALS = 'check elasticsearch.username/password or elasticsearch.apikey';

export async function checkHealth(transport: EsTransport, hostport: string, signal: AbortSignal): Promise<HealthResult> {
  const where = redactUrl(hostport);
  let res;
  try {
    // Elasticsearch: who are we? (401 = bad credentials). Without security, or on OpenSearch, GET /.
    if (transport.flavor === 'elasticsearch') {
      res = await transport.request({ method: 'GET', path: '/_security/_authenticate', signal });
      if (res.status === 200) {
        const who = res.body as { username?: string; authentication_type?: string } | null;
        return { ok: true, message: `Elasticsearch at ${where}: authenticated as ${who?.username ?? '?'} (${who?.authentication_type ?? 'unknown'})` };
      }
      if (res.status !== 401) res = await transport.request({ method: 'GET', path: '/', signal });
    } else {
      res = await transport.request({ method: 'GET', path: '/', signal });
    }
  } catch (err) {
    return { ok: false, message: `cannot reach ${where}: ${(err as Error).message}; check elasticsearch.hostport, TLS (checkcert, cacertfile) and that the cluster is up` };
  }
  const detail = (res.body as { error?: unknown } | null)?.error;
  const reason = detail ? errorReason(detail) : bodyText(res.body).slice(0, 200);
  if (res.status === 401) return { ok: false, message: `${where} refused the credentials (HTTP 401 ${reason}): ${CREDENTIALS}` };
  if (res.status === 403) return { ok: true, message: `${where} is reachable and accepted the credentials (GET / is forbidden to this user, which is fine for writing)` };
  if (res.status >= 200 && res.status < 300) {
    const version = (res.body as { version?: { number?: string; distribution?: string } } | null)?.version;
    return { ok: true, message: `${version?.distribution ?? 'elasticsearch'} ${version?.number ?? ''} at ${where} is reachable`.replace('  ', ' ') };
  }
  return { ok: false, message: `${where} answered HTTP ${res.status} ${reason}; check elasticsearch.hostport and the cluster's health` };
}

/** hostport without user:password@, should someone put credentials in the URL. */
export function redactUrl(hostport: string): string {
  try {
    const url = new URL(hostport);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return hostport;
  }
}
