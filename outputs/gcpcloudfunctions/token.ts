// The bearer token of a Cloud Functions API call. With a service-account key (gcp.credentials): a
// self-signed JWT with the cloud-platform scope, which Google APIs accept in place of an OAuth
// access token (developers.google.com/identity/protocols/oauth2/service-account, "JWT instead of an
// access token"): signed here, no token exchange. Without one: Application Default Credentials
// (the metadata server, Workload Identity, GOOGLE_APPLICATION_CREDENTIALS) through google-auth-library.
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { Clock, GcpKeyFile } from '../../src/plugin/index.ts';

export const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const LIFETIME_S = 3600;
/** A token is renewed this long before it expires. */
const RENEW_BEFORE_S = 300;

export interface TokenSource {
  token(): Promise<string>;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** A self-signed JWT for the key file, valid from `nowS` for an hour. */
function selfSignedJwt(key: { client_email: string; private_key_id?: string | undefined }, privateKey: KeyObject, nowS: number): string {
  const header = { alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) };
  const claims = { iss: key.client_email, sub: key.client_email, scope: SCOPE, iat: nowS, exp: nowS + LIFETIME_S };
  const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${unsigned}.${b64url(sign('sha256', Buffer.from(unsigned), privateKey))}`;
}

/** Tokens signed with the service-account key, each reused until 5 minutes before it expires. */
export function keyTokenSource(key: GcpKeyFile, clock: Clock): TokenSource {
  if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string') throw new Error('gcp.credentials must be a service_account key (with client_email and private_key) for gcp.cloudfunctions');
  const privateKey = createPrivateKey(key.private_key);
  const identity = { client_email: key.client_email, private_key_id: typeof key.private_key_id === 'string' ? key.private_key_id : undefined };
  let cached: { jwt: string; renewAtS: number } | undefined;
  return {
    token() {
      const nowS = Math.floor(clock.now() / 1000);
      if (!cached || nowS >= cached.renewAtS) cached = { jwt: selfSignedJwt(identity, privateKey, nowS), renewAtS: nowS + LIFETIME_S - RENEW_BEFORE_S };
      return Promise.resolve(cached.jwt);
    },
  };
}

/** Application Default Credentials: google-auth-library's GoogleAuth (loaded here, on first use), which refreshes the token itself. */
export async function adcTokenSource(): Promise<TokenSource> {
  const { GoogleAuth } = await import('google-auth-library');
  const auth = new GoogleAuth({ scopes: [SCOPE] });
  return {
    async token() {
      const token = await auth.getAccessToken();
      if (!token) throw new Error('Application Default Credentials gave no access token: set gcp.credentials or GOOGLE_APPLICATION_CREDENTIALS');
      return token;
    },
  };
}
