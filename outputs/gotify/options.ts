// The gotify output's options: falcosidekick's keys and defaults (hostport, token, format, checkcert).
import { optionalHttpUrl, secret, tlsShape, z, type OptionProblem } from '../../src/plugin/index.ts';

export const gotifySchema = z.object({
  hostport: optionalHttpUrl('http://gotify.example.com:8080').describe(
    'Gotify server URL ("http://gotify:8080", a sub-path behind a proxy too); alerts go to <hostport>/message. Setting it turns the output on.',
  ),
  token: secret(z.string().default('').describe('Application token (Gotify: Apps > create an application), sent as X-Gotify-Key. Required: Gotify refuses messages without one.')),
  format: z
    .string()
    .default('markdown')
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['markdown', 'plaintext', 'text', 'json'], { error: 'must be markdown, plaintext (or text) or json' }))
    .describe('markdown: falcosidekick\'s list, shown as markdown by Gotify\'s clients; plaintext (or text): the same list as plain text; json: the alert\'s JSON as plain text.'),
  ...tlsShape,
});

export type GotifyOptions = z.output<typeof gotifySchema>;

/** Without a token Gotify answers 401 to every alert: a forgotten key, caught at start. */
export function validateGotify(options: GotifyOptions): OptionProblem[] {
  return options.token === '' ? [{ path: 'token', message: 'is required when hostport is set (Gotify refuses messages without an application token)' }] : [];
}
