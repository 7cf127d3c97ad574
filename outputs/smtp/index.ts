// falcosidekick's smtp output: one e-mail per alert (subject, text and HTML as falcosidekick), or
// with `digest: true` one e-mail per batch. nodemailer over a small connection pool; its deadline
// is the worker's (ctx.signal) and nodemailer itself never retries: the worker does.
import type { Transporter } from 'nodemailer';
import { abortReason, defineOutput, epochMillis, secret, loadTls, notOwn, ok, raceSignal, retry, sendEach, tlsShape, z, type Alert, type Outcome } from '../../src/plugin/index.ts';
import { classifyMailError } from './classify.ts';
import { alertMail, digestMail, type Mail } from './message.ts';

const MECHANISMS = ['none', 'plain', 'login', 'cram-md5'] as const;
// falcosidekick's other SASL mechanisms; nodemailer has no client for them.
const UNSUPPORTED = ['oauthbearer', 'external', 'anonymous'];

interface Client {
  transport: Transporter;
  to: string[];
}

export default defineOutput({
  name: 'smtp',
  description: 'E-mail each alert (or a digest per batch) through an SMTP server.',
  schema: z.object({
    hostport: z
      .union([z.literal(''), z.string().regex(/^.+:\d{1,5}$/, 'must be host:port, e.g. smtp.example.com:587')])
      .default('')
      .describe('SMTP server as host:port. Setting it turns the output on.'),
    tls: z.boolean().default(true).describe('Require STARTTLS (as falcosidekick); false sends in clear text and never upgrades.'),
    authmechanism: z
      .string()
      .default('plain')
      .transform((v) => v.toLowerCase())
      .describe('SASL mechanism: plain, login, cram-md5 or none. falcosidekick\'s oauthbearer, external and anonymous are not supported (a startup error).'),
    user: z.string().default('').describe('User name for plain/login/cram-md5. Empty: no authentication (falcosidekick ignored the failed AUTH).'),
    password: secret(z.string().default('').describe('Password for plain/login/cram-md5.')),
    from: z.string().default('').describe('Sender address (required when hostport is set).'),
    to: z.string().default('').describe('Comma-separated recipient addresses (required when hostport is set).'),
    outputformat: z.enum(['html', 'text']).default('html').describe('html: a text part and an HTML part (falcosidekick\'s default); text: the text part only.'),
    digest: z.boolean().default(false).describe('One e-mail per batch listing its alerts (with their JSON attached) instead of one per alert; batch.flushms is the digest window (default 30 s).'),
    ...tlsShape,
  }),
  example: { hostport: 'smtp.example.com:587', user: 'falco', password: 'secret', from: 'falco@example.com', to: 'secops@example.com' },
  enabled: (options) => options.hostport !== '',
  validate(options) {
    const problems = [];
    if (options.from === '') problems.push({ path: 'from', message: 'required when smtp.hostport is set' });
    if (recipients(options.to).length === 0) problems.push({ path: 'to', message: 'required when smtp.hostport is set (comma-separated addresses)' });
    if (UNSUPPORTED.includes(options.authmechanism)) problems.push({ path: 'authmechanism', message: `${options.authmechanism} is not supported; use plain, login, cram-md5 or none` });
    else if (!(MECHANISMS as readonly string[]).includes(options.authmechanism)) problems.push({ path: 'authmechanism', message: `unknown mechanism "${options.authmechanism}"; use plain, login, cram-md5 or none` });
    return problems;
  },
  batch: { maxevents: 20, maxbytes: 1_000_000, flushms: 0 },
  concurrency: 2,
  legacySettings: (options) => (options.digest ? { batch: { maxevents: 200, flushms: 30_000 } } : {}),
  async connect(options, ctx): Promise<Client> {
    const nodemailer = (await import('nodemailer')).default;
    const at = options.hostport.lastIndexOf(':');
    const host = options.hostport.slice(0, at).replace(/^\[|\]$/g, '');
    const mechanism = options.authmechanism;
    const auth = mechanism !== 'none' && options.user !== '';
    const transport = nodemailer.createTransport({
      host,
      port: Number(options.hostport.slice(at + 1)),
      secure: false,
      requireTLS: options.tls,
      ignoreTLS: !options.tls,
      tls: { ...loadTls(options, ctx.tls), servername: host },
      ...(auth ? { auth: { user: options.user, pass: options.password }, authMethod: mechanism.toUpperCase() } : {}),
      pool: true,
      maxConnections: ctx.concurrency,
      maxMessages: 500,
      connectionTimeout: ctx.timeoutMs,
      greetingTimeout: ctx.timeoutMs,
      socketTimeout: ctx.timeoutMs,
      // Alert text never reaches a file or URL fetch.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    return { transport, to: recipients(options.to) };
  },
  async sendBatch(alerts, { client, options, signal }) {
    const html = options.outputformat === 'html';
    if (options.digest) {
      const mail = digestMail(alerts, html, new Date(epochMillis((alerts[alerts.length - 1] as Alert).time)));
      return sendOne(client, options.from, mail, signal);
    }
    // One mail per alert; the first that must be retried (a refused login, the server down) ends the
    // batch: the others would get the same answer, and repeated failed logins lock a sender out.
    return sendEach(alerts, (alert) =>
      signal.aborted
        ? Promise.resolve(notOwn(`deadline reached before this alert was sent: ${abortReason(signal).message}`))
        : sendOne(client, options.from, alertMail(alert, html, new Date(epochMillis(alert.time))), signal),
    );
  },
  close(client) {
    client.transport.close();
  },
});

function recipients(to: string): string[] {
  return to
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

async function sendOne(client: Client, from: string, mail: Mail, signal: AbortSignal): Promise<Outcome> {
  try {
    await raceSignal(
      client.transport.sendMail({
        from,
        to: client.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        date: mail.date,
        messageId: mail.messageId,
        ...(mail.attachment ? { attachments: [{ filename: 'alerts.ndjson', content: mail.attachment, contentType: 'application/x-ndjson' }] } : {}),
      }),
      signal,
    );
    // Accepted for at least one recipient: delivered (refused recipients of a multi-recipient
    // message show in the server's log, not here).
    return ok();
  } catch (err) {
    if (signal.aborted) return retry(`timed out: ${(err as Error).message}`);
    return classifyMailError(err);
  }
}
