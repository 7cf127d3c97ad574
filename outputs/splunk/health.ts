// Healthcheck: HEC's health endpoint, then a cheap token check — an empty POST to the event
// endpoint indexes nothing and HEC answers it "No data" (code 5) for a good token, 401/403
// (codes 1-4) for a bad one.
import { excerpt, sendHttp, type HealthResult } from '../../src/plugin/index.ts';
import type { Dispatcher } from 'undici';
import { parseHecReply } from './classify.ts';
import type { HecEndpoints } from './options.ts';

export async function hecHealth(pool: Dispatcher, endpoints: HecEndpoints, headers: Record<string, string>, signal: AbortSignal): Promise<HealthResult> {
  // Real Splunk answers /health without a token; sending it anyway suits receivers that want one.
  const health = await sendHttp(pool, { path: endpoints.health, method: 'GET', headers, signal });
  const healthReply = parseHecReply(health.text);
  if (health.status === 401 || health.status === 403) return tokenRefused(health.status, healthReply?.code, endpoints.health);
  if (health.status !== 200) {
    const why = healthReply?.code !== undefined ? `code ${healthReply.code}: ${healthReply.text ?? ''}` : excerpt(health.text);
    return { ok: false, message: `HEC ${endpoints.health} answered HTTP ${health.status} (${why})${health.status === 404 ? ': check splunk.hostport/host' : ''}` };
  }

  const probe = await sendHttp(pool, { path: endpoints.event, method: 'POST', headers, body: '', signal });
  const reply = parseHecReply(probe.text);
  if (probe.status === 401 || probe.status === 403 || (reply?.code !== undefined && reply.code >= 1 && reply.code <= 4)) {
    return tokenRefused(probe.status, reply?.code, endpoints.event);
  }
  if (reply?.code === 10) return { ok: false, message: 'HEC wants a data channel: the token has indexer acknowledgement on, set splunk.useack: true' };
  if (probe.status === 404) return { ok: false, message: `HEC ${endpoints.event} answered HTTP 404: check splunk.hostport/host` };
  return { ok: true, message: `HEC is healthy (${healthReply?.text ?? 'HTTP 200'}); token accepted` };
}

function tokenRefused(status: number, code: number | undefined, path: string): HealthResult {
  const what = code === 1 ? 'token disabled' : code === 2 ? 'token missing' : 'token refused';
  return { ok: false, message: `HEC ${path} answered HTTP ${status}${code !== undefined ? ` code ${code}` : ''}: ${what}; check splunk.token` };
}
