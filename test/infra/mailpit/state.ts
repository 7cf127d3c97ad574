// Shape of $PEREGRINE_IT_STATE/mailpit.json, written by test/infra/mailpit/start.sh.
// Usage: const mail = await useInfra<MailpitInfra>('mailpit');
//        smtp.hostport = `${mail.plain.host}:${mail.plain.smtpPort}`; read back with GET `${mail.plain.api}/api/v1/messages`.

export interface MailpitServer {
  host: string;
  smtpPort: number;
  /** HTTP API base, e.g. "http://127.0.0.1:40125": /api/v1/messages, /api/v1/message/{ID}, /api/v1/chaos. */
  api: string;
  log: string;
}

export interface MailpitInfra {
  /** No TLS, no AUTH. RCPT outside @example.com → "550 5.1.0"; the chaos API (PUT /api/v1/chaos) is on. */
  plain: MailpitServer;
  /** STARTTLS required (certificate for IP 127.0.0.1, CA = `cacert`) and AUTH PLAIN/LOGIN as user/password. */
  auth: MailpitServer & { user: string; password: string; cacert: string };
}
