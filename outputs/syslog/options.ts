// The syslog section: falcosidekick's keys (host, port, protocol, format) with its meanings.
import { lowerEnum, z, type OptionProblem } from '../../src/plugin/index.ts';

export const syslogSchema = z.object({
  host: z
    .string()
    .trim()
    .default('')
    .describe('Syslog server: a host name or an IP address (IPv6 with or without brackets). Setting it turns the output on.'),
  port: z
    .union([z.number(), z.string().trim().regex(/^\d*$/, 'must be a port number such as 514')])
    .default('')
    .transform((v) => (v === '' ? 0 : Number(v)))
    .pipe(z.number().int('must be a whole number').min(0).max(65535, 'must be a port number, 1-65535'))
    .describe('Server port, a number or a string as falcosidekick reads it (e.g. 514). Required when host is set.'),
  protocol: lowerEnum(['tcp', 'udp'], 'tcp').describe(
    'tcp (one connection kept open, newline-framed messages) or udp (one datagram per alert). falcosidekick refuses anything else at start; so does Peregrine, as a config error.',
  ),
  format: lowerEnum(['json', 'cef'], 'json').describe('Message after the syslog header: json (the alert as falcosidekick encodes it) or cef (ArcSight Common Event Format, falcosidekick\'s CEF text).'),
});

export type SyslogOptions = z.output<typeof syslogSchema>;

export function validateSyslog(options: SyslogOptions): OptionProblem[] {
  return options.port === 0 ? [{ path: 'port', message: 'required when syslog.host is set (syslog servers usually listen on 514)' }] : [];
}
