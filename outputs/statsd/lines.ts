// An alert as the counters falcosidekick counts for one accepted Falco request, in the DogStatsD
// line format its statsd client (datadog-go) writes, packed into datagrams as that client packs them.
import type { Alert } from '../../src/plugin/index.ts';

/** datadog-go's UDP payload: fits an Ethernet MTU with IP and UDP headers. */
export const DATAGRAM_BYTES = 1432;

export interface Counting {
  /** Prefix of every metric name (falcosidekick's default "falcosidekick."). */
  namespace: string;
  /** Constant tags of every line (`env:prod`), before the line's own. */
  tags: readonly string[];
}

function line(name: string, tags: readonly string[], counting: Counting): string {
  const all = [...counting.tags, ...tags];
  return `${counting.namespace}${name}:1|c${all.length ? `|#${all.join(',')}` : ''}`;
}

/**
 * falcosidekick counts `total` and `inputs.requests.accepted` per accepted request and
 * `falco.accepted` (tagged with the priority) per alert; Falco posts one alert per request.
 */
export function alertLines(alert: Alert, counting: Counting): string[] {
  return [line('total', [], counting), line('inputs.requests.accepted', [], counting), line('falco.accepted', [`priority:${alert.priority}`], counting)];
}

/** Lines into datagrams of at most DATAGRAM_BYTES, each line ending with "\n"; a longer line goes alone. */
export function packDatagrams(lines: readonly string[]): Buffer[] {
  const datagrams: Buffer[] = [];
  let current = '';
  for (const l of lines) {
    const next = `${l}\n`;
    if (current !== '' && Buffer.byteLength(current) + Buffer.byteLength(next) > DATAGRAM_BYTES) {
      datagrams.push(Buffer.from(current));
      current = '';
    }
    current += next;
  }
  if (current !== '') datagrams.push(Buffer.from(current));
  return datagrams;
}
