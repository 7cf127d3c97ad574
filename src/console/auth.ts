// Who is asking: the admin token, the read-only token, or a user named by a trusted proxy header.
// No credential, no access: the console has no anonymous role.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ErrorCodes, RequestError } from '../errors.ts';
import type { ConsoleConfig } from './config.ts';

type Role = 'admin' | 'read';

export interface Principal {
  role: Role;
  /** How they signed in, for the audit log: "token", "readtoken" or "header:<user>". Never the secret. */
  who: string;
}

function same(given: string, expected: string): boolean {
  if (expected === '') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function authenticate(request: FastifyRequest, config: ConsoleConfig): Principal {
  // RFC 9110: the scheme is case-insensitive ("bearer" too).
  const bearer = /^bearer +(.*)$/i.exec(request.headers.authorization ?? '');
  if (bearer) {
    const given = (bearer[1] as string).trim();
    if (same(given, config.token)) return { role: 'admin', who: 'token' };
    if (same(given, config.readtoken)) return { role: 'read', who: 'readtoken' };
    throw new RequestError(ErrorCodes.UNAUTHORIZED, 401, 'wrong console token: send "Authorization: Bearer <console.token or console.readtoken>"');
  }
  if (config.trustedheader !== '') {
    const user = request.headers[config.trustedheader.toLowerCase()];
    const name = Array.isArray(user) ? user[0] : user;
    if (name) {
      // The proxy signs the browser in by a cookie, which a page of another site can make it send
      // with a form or a fetch: a change is never taken from one (a token is never sent on its own).
      if (!SAFE_METHODS.has(request.method) && crossSite(request)) {
        throw new RequestError(ErrorCodes.FORBIDDEN, 403, 'a change through the console comes from the console\'s own page: this request came from another site (Sec-Fetch-Site / Origin)');
      }
      return { role: config.trustedadmins.includes(name) ? 'admin' : 'read', who: `header:${name}` };
    }
  }
  throw new RequestError(ErrorCodes.UNAUTHORIZED, 401, 'the console needs a token: send "Authorization: Bearer <console.token or console.readtoken>"');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request a browser sent from a page of another site: Sec-Fetch-Site says so (every current
 * browser sends it), else an Origin that is not this host (as the browser or the proxy names it).
 */
function crossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true; // "null" (a sandboxed page, a file) or garbage
  }
  const forwarded = request.headers['x-forwarded-host'];
  return host !== request.headers.host && host !== (Array.isArray(forwarded) ? forwarded[0] : forwarded);
}

export function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw new RequestError(ErrorCodes.FORBIDDEN, 403, 'this needs the admin role (console.token); the read-only token can only look');
}
