// falcosidekick's syslog output: each alert as one syslog line (<PRI>TIMESTAMP HOSTNAME Falco[PID]: MSG,
// message.ts) over TCP or UDP, MSG the alert's JSON or falcosidekick's CEF text. One connection (TCP)
// or socket (UDP) per output, opened again after an error; several alerts per TCP write.
import { hostname } from 'node:os';
import { defineOutput, fail, notOwn, ok, partial, retry, sendEach, type Alert, type Outcome, type SendResult } from '../../src/plugin/index.ts';
import { syslogLine, type LineHeader } from './message.ts';
import { syslogSchema, validateSyslog, type SyslogOptions } from './options.ts';
import { MAX_DATAGRAM, TcpStream, UdpSender, type Target } from './transport.ts';

type SyslogClient = { header: LineHeader; target: Target } & ({ tcp: TcpStream; udp?: undefined } | { udp: UdpSender; tcp?: undefined });

export default defineOutput({
  name: 'syslog',
  description: 'Send each alert as a syslog line (JSON or CEF) to a syslog server over TCP or UDP.',
  schema: syslogSchema,
  example: { host: 'syslog.example.com', port: 514, protocol: 'tcp' },
  enabled: (options) => options.host !== '',
  validate: validateSyslog,
  // Lines of a batch go in one TCP write; over UDP the batch is only how many datagrams one send makes.
  batch: { maxevents: 500, maxbytes: 1_000_000, flushms: 0 },
  concurrency: 1,
  connect(options): SyslogClient {
    const target = { host: options.host.replace(/^\[(.*)\]$/, '$1'), port: options.port };
    const header = { hostname: hostname(), pid: process.pid };
    return options.protocol === 'udp' ? { header, target, udp: new UdpSender(target) } : { header, target, tcp: new TcpStream(target) };
  },
  async healthcheck({ client, signal }) {
    if (!client.tcp) return { ok: true };
    try {
      await client.tcp.open(signal);
      return { ok: true };
    } catch (err) {
      return { ok: false, message: `cannot connect to ${where(client)}: ${(err as Error).message}` };
    }
  },
  async sendBatch(alerts, { client, options, signal }) {
    if (client.tcp) {
      try {
        await client.tcp.write(alerts.map((alert) => syslogLine(alert, options.format, client.header)).join(''), signal);
        return ok();
      } catch (err) {
        return retry(`${where(client)}: ${(err as Error).message}`);
      }
    }
    return sendDatagrams(alerts, client.udp, options, client, signal);
  },
  close(client) {
    (client.tcp ?? client.udp).close();
  },
});

/**
 * One datagram per alert; an alert too large for one is dead-lettered, the others go. A "port
 * unreachable" while the batch goes out means the datagrams before it went nowhere: the kernel
 * reports it on the next send, or a moment later (settle): then none of the batch counts delivered.
 */
async function sendDatagrams(alerts: readonly Alert[], udp: UdpSender, options: SyslogOptions, client: SyslogClient, signal: AbortSignal): Promise<SendResult> {
  let refused: Error | undefined;
  const result = await sendEach(alerts, async (alert): Promise<Outcome> => {
    const datagram = Buffer.from(syslogLine(alert, options.format, client.header));
    if (datagram.length > MAX_DATAGRAM) {
      return fail(`the syslog line is ${datagram.length} bytes, more than a UDP datagram holds (${MAX_DATAGRAM}): use protocol tcp for alerts this large`);
    }
    try {
      await udp.send(datagram, signal);
      return ok();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EMSGSIZE') return fail(`${where(client)}: the datagram of ${datagram.length} bytes is too large for the network (EMSGSIZE): use protocol tcp`);
      if (code === 'ECONNREFUSED') refused = err as Error;
      // The server or the network, not this alert: the rest of the batch waits with it.
      return notOwn(`${where(client)}: ${(err as Error).message}`);
    }
  });
  if (!refused) {
    try {
      await udp.settle();
    } catch (err) {
      refused = err as Error;
    }
  }
  if (!refused || result.kind !== 'partial') return result;
  const unreachable = notOwn(`${where(client)}: ${refused.message} (port unreachable: the datagrams went nowhere)`);
  return partial(result.items.map((o) => (o.kind === 'ok' ? unreachable : o)));
}

function where(client: SyslogClient): string {
  const { host, port } = client.target;
  return `${client.tcp ? 'tcp' : 'udp'} ${host.includes(':') ? `[${host}]` : host}:${port}`;
}
