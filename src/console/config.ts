// console: the web console at /ui and its JSON API under /api/v1/. Off by default; when on, it
// needs a credential: there is no anonymous or default login.
import { z } from 'zod';
import { listOrString } from '../config/forms.ts';
import { secret } from '../config/secret.ts';

export const consoleSchema = z
  .object({
    enabled: z.boolean().default(false).describe('Serve the web console at /ui and its API under /api/v1/. Needs token, readtoken or trustedheader.'),
    token: secret(z.string().default('').describe('Admin bearer token ("Authorization: Bearer <token>", or the console\'s login form): read, replay and purge dead letters.')),
    readtoken: secret(z.string().default('').describe('Read-only bearer token: every view and GET endpoint, no replay or purge.')),
    trustedheader: z
      .string()
      .default('')
      .describe('Behind an authenticating proxy (oauth2-proxy, an OIDC ingress): the header that carries the signed-in user, e.g. X-Forwarded-Email. Its presence grants read-only access; only enable it when nothing but the proxy can reach the console port.'),
    trustedadmins: listOrString().default([]).describe('Users (values of trustedheader) who get the admin role. A list or "a,b".'),
    address: z.string().default('').describe('Address of the console\'s own listener; "" with port 0 = served on the ingest listener.'),
    port: z.number().int().min(0).max(65535).default(0).describe('Port of the console\'s own listener (plain HTTP); 0 = served on the ingest listener (listenport).'),
    ratelimit: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('Console requests per second per client address (token bucket, burst of 5 seconds\' worth); beyond it 429. Ingest is not limited by this.'),
  })
  .superRefine((c, ctx) => {
    if (c.enabled && c.token === '' && c.readtoken === '' && c.trustedheader === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['token'],
        message: 'console.enabled needs a credential: set console.token (admin), console.readtoken (read-only) or console.trustedheader (behind an authenticating proxy); there is no anonymous console',
      });
    }
  })
  .prefault({})
  .describe('Web console and API (/ui, /api/v1/).');

export type ConsoleConfig = z.output<typeof consoleSchema>;
