// Outbound HTTP proxies from the environment, read as falcosidekick's Go client reads them
// (golang.org/x/net/http/httpproxy, behind net/http's ProxyFromEnvironment): HTTPS_PROXY for https
// URLs, HTTP_PROXY for http ones (upper case first), NO_PROXY for exceptions, and never for localhost
// or a loopback address. Behind an egress proxy a daemon that ignored them reaches no SaaS output.
import { isIP } from 'node:net';
import type { Dispatcher, Pool } from 'undici';
import { withAuthorization } from './basic-auth.ts';
import { loadUndici } from './undici.ts';

/** Whether the environment names a proxy at all. */
function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

/** The proxy URL for a request to `url`, or undefined to connect directly. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const proxy = url.protocol === 'https:' ? env.HTTPS_PROXY || env.https_proxy : url.protocol === 'http:' ? env.HTTP_PROXY || env.http_proxy : undefined;
  if (!proxy) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || isLoopbackIp(host) || excluded(host, Number(url.port) || (url.protocol === 'https:' ? 443 : 80), env.NO_PROXY || env.no_proxy || '')) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`; // Go reads "proxy:3128" as http
}

function isLoopbackIp(host: string): boolean {
  const v4 = host.startsWith('::ffff:') ? host.slice(7) : host; // an IPv4-mapped address (URL writes ::ffff:7f00:1 as is)
  return (isIP(v4) === 4 && v4.startsWith('127.')) || host === '::1' || /^::ffff:7f[0-9a-f]{2}:/.test(host);
}

/** NO_PROXY as Go reads it: "*"; host[:port]; "example.com" (it and its subdomains), ".example.com" or "*.example.com" (subdomains); an IP or a CIDR. */
function excluded(host: string, port: number, noProxy: string): boolean {
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (inCidr(host, entry)) return true;
      continue;
    }
    const withPort = /^(.*):(\d+)$/.exec(entry);
    if (withPort && isIP(entry) !== 6) {
      if (Number(withPort[2]) !== port) continue;
      entry = withPort[1] as string;
    }
    entry = entry.replace(/^\[|\]$/g, '');
    if (isIP(entry)) {
      if (entry === host) return true;
      continue;
    }
    if (entry.startsWith('*.')) entry = entry.slice(1);
    if (entry.startsWith('.') ? host.endsWith(entry) : host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

function inCidr(host: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  // IPv6 ranges are not matched (rare in NO_PROXY); a malformed one matches nothing, as in Go.
  if (isIP(host) !== 4 || isIP(base) !== 4 || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) return false;
  const n = Number(bits);
  const toInt = (ip: string) => ip.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return (toInt(host) & mask) === (toInt(base) & mask);
}

/**
 * For node:http(s) Agents (the AWS SDK's), whose own `proxyEnv` reading differs from Go's: given
 * the proxies Go would pick (upper case first) and NO_PROXY in Node's forms — Go's "example.com"
 * (it and its subdomains) is Node's ".example.com", Go's ".example.com" (subdomains only) Node's
 * "*.example.com" — with loopback kept direct. CIDR entries cannot be said to Node: AWS endpoints
 * are host names, so none is lost in practice. Undefined when no proxy is set.
 */
export function agentProxyEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv | undefined {
  if (!proxyConfigured(env)) return undefined;
  const entries = (env.NO_PROXY || env.no_proxy || '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && !e.includes('/'))
    .map((e) => (e === '*' || isIP(e.replace(/^\[|\]$/g, '')) || /:\d+$/.test(e) ? e : e.startsWith('*.') ? e : e.startsWith('.') ? `*${e}` : `.${e}`));
  const noProxy = [...entries, 'localhost', '127.0.0.1', '::1'].join(',');
  const https = env.HTTPS_PROXY || env.https_proxy || '';
  const http = env.HTTP_PROXY || env.http_proxy || '';
  return { HTTPS_PROXY: https, https_proxy: https, HTTP_PROXY: http, http_proxy: http, NO_PROXY: noProxy, no_proxy: noProxy };
}

/**
 * One origin through `proxy` (CONNECT for https): the pool's options, its TLS for the destination
 * (through the tunnel), and `authorization` added where a request has none (a URL's user:pass, as
 * basic-auth.ts does for a Pool). An agent wants each request's origin; a Pool knew its own.
 */
export function proxiedOrigin(origin: string, proxy: string, options: Pool.Options, authorization: string | undefined): Dispatcher {
  const { ProxyAgent } = loadUndici();
  const { connect, ...agentOptions } = options;
  const timeout = (connect as { timeout?: number } | undefined)?.timeout;
  // proxyTunnel false: an http destination gets an absolute-form request, as Go sends it (https tunnels either way).
  const agent = new ProxyAgent({ ...agentOptions, uri: proxy, proxyTunnel: false, requestTls: connect as Record<string, unknown>, proxyTls: { ...(timeout ? { timeout } : {}) } });
  const dispatch = agent.dispatch.bind(agent);
  agent.dispatch = (opts, handler) => dispatch({ ...opts, origin, ...(authorization ? { headers: withAuthorization(opts.headers, authorization) } : {}) }, handler);
  return agent;
}
