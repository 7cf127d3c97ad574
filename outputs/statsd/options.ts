// falcosidekick's statsd and dogstatsd sections (the same keys): forwarder, namespace, tags.
import { commaList, z } from '../../src/plugin/index.ts';
import type { Target } from '../syslog/transport.ts';

/** "host:port", "[v6]:port": where the datagrams go; undefined when it is not one. */
export function parseForwarder(text: string): Target | undefined {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(text) ?? /^([^\s:/[\]]+):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  return m && port >= 1 && port <= 65_535 ? { host: m[1] as string, port } : undefined;
}

const forwarder = z
  .string()
  .default('')
  .refine((v) => v === '' || parseForwarder(v) !== undefined, {
    error: (issue) =>
      String(issue.input).startsWith('unix://')
        ? 'a Unix socket (unix://…) is not supported: use the UDP host:port of the agent (e.g. 127.0.0.1:8125)'
        : 'must be host:port (UDP, no scheme: falcosidekick cannot use http://host:port either), e.g. 127.0.0.1:8125 or [::1]:8125',
  });

// What would break a line: the separators of the line format, and line breaks.
const NAMESPACE = /^[^:|@#,\s]*$/;
const TAG = /^[^|,\s]+$/;

export function statsdSchema(defaultPort: string) {
  return z.object({
    forwarder: forwarder.describe(`UDP address of the StatsD server, host:port (e.g. 127.0.0.1:${defaultPort}). Setting it turns the output on.`),
    namespace: z
      .string()
      .regex(NAMESPACE, 'must not contain ":", "|", "@", "#", "," or spaces')
      .max(200)
      .default('falcosidekick.')
      .describe('Prefix of every metric name, as falcosidekick writes it: "falcosidekick." gives falcosidekick.falco.accepted.'),
    tags: commaList(z.string().regex(TAG, 'a tag must not be empty nor contain "|", "," or spaces').max(200))
      .default([])
      .describe('Constant tags on every metric, in DogStatsD form ("env:prod"). Env: "env:prod,team:sec".'),
  });
}
