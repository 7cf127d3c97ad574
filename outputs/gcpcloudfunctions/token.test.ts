// The self-signed JWT: RS256 over header.claims with the key, the account as iss and sub, the
// cloud-platform scope, an hour long; reused until 5 minutes before it expires (fake clock).
import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { keyTokenSource, SCOPE } from './token.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const key = { type: 'service_account', client_email: 'falco@p.iam.gserviceaccount.com', private_key_id: 'kid1', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
const parts = (jwt: string) => jwt.split('.').map((p, i) => (i < 2 ? (JSON.parse(Buffer.from(p, 'base64url').toString()) as unknown) : p));

describe('keyTokenSource', () => {
  it('signs a JWT with the key: header, claims and signature exactly', async () => {
    const clock = new FakeClock(1_800_000_000_000);
    const jwt = await keyTokenSource(key, clock).token();
    const [header, claims] = parts(jwt);
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'kid1' });
    expect(claims).toEqual({ iss: key.client_email, sub: key.client_email, scope: SCOPE, iat: 1_800_000_000, exp: 1_800_003_600 });
    const [h, p, s] = jwt.split('.') as [string, string, string];
    expect(verify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))).toBe(true);
  });

  it('reuses the token until 5 minutes before it expires, then signs a new one', async () => {
    const clock = new FakeClock(1_800_000_000_000);
    const source = keyTokenSource(key, clock);
    const first = await source.token();
    await clock.advance(3299_000);
    expect(await source.token()).toBe(first);
    await clock.advance(1000);
    const second = await source.token();
    expect(second).not.toBe(first);
    expect(parts(second)[1]).toMatchObject({ iat: 1_800_003_300, exp: 1_800_006_900 });
  });

  it('a key file that is not a service account key: an error naming gcp.credentials', () => {
    expect(() => keyTokenSource({ type: 'authorized_user' }, new FakeClock(0))).toThrow('gcp.credentials must be a service_account key (with client_email and private_key) for gcp.cloudfunctions');
  });
});
