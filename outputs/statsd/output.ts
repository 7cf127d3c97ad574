// The statsd and dogstatsd outputs (falcosidekick's two sections, one wire format): per alert, the
// counters falcosidekick counts for it, as DogStatsD lines over UDP to the forwarder.
//
// "Delivered" for UDP: the datagrams were handed to the kernel on a connected socket and no ICMP
// "port unreachable" came back (on a later send, or within one turn of the event loop after the
// batch: immediate for a server on this host). A loss on the network is invisible, as for any
// StatsD client.
import { defineOutput, ok, retry, type Alert, type SendResult } from '../../src/plugin/index.ts';
import { UdpSender } from '../syslog/transport.ts';
import { alertLines, packDatagrams, type Counting } from './lines.ts';
import { parseForwarder, statsdSchema } from './options.ts';

interface StatsdClient {
  udp: UdpSender;
  counting: Counting;
  where: string;
}

export async function sendCounts(alerts: readonly Alert[], client: StatsdClient, signal: AbortSignal): Promise<SendResult> {
  const datagrams = packDatagrams(alerts.flatMap((alert) => alertLines(alert, client.counting)));
  try {
    for (const datagram of datagrams) await client.udp.send(datagram, signal);
    await client.udp.settle();
  } catch (err) {
    if (signal.aborted) throw err;
    const e = err as NodeJS.ErrnoException;
    // The counts of the whole batch go again: a refusal means the datagrams before it went nowhere.
    const hint = e.code === 'ECONNREFUSED' ? ' (port unreachable: nothing listens there; the counts went nowhere)' : '';
    return retry(`udp ${client.where}: ${e.message}${hint}`);
  }
  return ok();
}

export function defineStatsdOutput(spec: { name: 'statsd' | 'dogstatsd'; description: string; defaultPort: string }) {
  return defineOutput({
    name: spec.name,
    description: spec.description,
    schema: statsdSchema(spec.defaultPort),
    example: { forwarder: `127.0.0.1:${spec.defaultPort}` },
    enabled: (options) => options.forwarder !== '',
    // datadog-go flushes its buffer every 100 ms.
    batch: { maxevents: 200, maxbytes: 1_000_000, flushms: 100 },
    connect(options): StatsdClient {
      const target = parseForwarder(options.forwarder);
      if (!target) throw new Error(`${spec.name}.forwarder: not host:port`); // the schema refused it already
      return { udp: new UdpSender(target), counting: { namespace: options.namespace, tags: options.tags }, where: options.forwarder };
    },
    sendBatch(alerts, { client, signal }) {
      return sendCounts(alerts, client, signal);
    },
    close(client: StatsdClient) {
      client.udp.close();
    },
  });
}
