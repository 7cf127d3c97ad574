// An Azure App Service managed identity endpoint on 127.0.0.1 (what IDENTITY_ENDPOINT and
// IDENTITY_HEADER point DefaultAzureCredential's ManagedIdentityCredential at), issuing HS256 JWTs
// that a stand-in checks with `verify` (the Event Hubs stand-in's `jwt` put-token).
// https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export class ManagedIdentityEndpoint {
  /** Every token request: the resource asked for and whether the secret header was right. */
  readonly requests: { resource: string; apiVersion: string; headerOk: boolean }[] = [];
  readonly header = randomBytes(12).toString('hex');
  private readonly secret = randomBytes(32);
  private server: Server | undefined;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const resource = url.searchParams.get('resource') ?? '';
      const headerOk = req.headers['x-identity-header'] === this.header;
      this.requests.push({ resource, apiVersion: url.searchParams.get('api-version') ?? '', headerOk });
      res.setHeader('content-type', 'application/json');
      if (!headerOk) {
        res.statusCode = 401;
        res.end(JSON.stringify({ statusCode: 401, message: 'X-IDENTITY-HEADER is missing or wrong' }));
        return;
      }
      const expiresOn = Math.floor(this.now() / 1000) + 3600;
      res.end(JSON.stringify({ access_token: this.issue(resource, expiresOn), expires_on: String(expiresOn), resource, token_type: 'Bearer', client_id: 'peregrine-test-identity' }));
    });
    server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    this.server = server;
    return this;
  }

  /** IDENTITY_ENDPOINT and IDENTITY_HEADER, as App Service sets them. */
  get env(): { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string } {
    return { IDENTITY_ENDPOINT: `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/msi/token`, IDENTITY_HEADER: this.header };
  }

  /** The token's audience and expiry when this endpoint signed it, else why not. */
  verify(token: string): { aud: string; expiresAtMs: number } | { refused: string } {
    const [head, body, sig] = token.split('.');
    if (!head || !body || !sig) return { refused: 'InvalidToken: not a JWT' };
    const expected = createHmac('sha256', this.secret).update(`${head}.${body}`).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refused: 'InvalidSignature: the JWT signature does not verify' };
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { aud?: string; exp?: number };
    return { aud: String(claims.aud), expiresAtMs: Number(claims.exp) * 1000 };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private issue(aud: string, exp: number): string {
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify({ aud, iss: 'https://sts.windows.net/peregrine-test/', sub: 'peregrine-test-identity', exp, iat: exp - 3600 }));
    return `${head}.${body}.${createHmac('sha256', this.secret).update(`${head}.${body}`).digest('base64url')}`;
  }
}
