// What an SMTP failure means for delivery (nodemailer errors): 4xx replies and connection problems
// are retried, 5xx replies are permanent (dead letter), refused credentials wait for a fix.
import { excerpt, fail, retry, type Outcome } from '../../src/plugin/index.ts';

interface MailError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

const CONNECTION = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ESTREAM', 'EPROTOCOL']);

export function classifyMailError(err: unknown): Outcome {
  const e = (err ?? {}) as MailError;
  const detail = excerpt(e.response ?? e.message ?? String(err));
  if (e.code === 'EAUTH' || e.responseCode === 535 || e.responseCode === 534 || e.responseCode === 530) {
    return retry(`SMTP authentication refused: ${detail} (check smtp.user/password/authmechanism and smtp.tls)`, { auth: true });
  }
  const status = e.responseCode;
  if (status !== undefined && status >= 400 && status < 500) return retry(`SMTP ${status} (temporary): ${detail}`);
  if (status !== undefined && status >= 500 && status < 600) return fail(`SMTP ${status} (permanent${e.command ? `, at ${e.command}` : ''}): ${detail}`);
  if (e.code && CONNECTION.has(e.code)) return retry(`SMTP connection: ${e.code}: ${detail}`);
  return retry(`SMTP: ${e.code ?? 'error'}: ${detail}`);
}
