// What falcosidekick 2.34.1 posted to Telegram, Webex, Zoho Cliq and Gotify for
// test/fixtures/alerts/priorities.json (test/fixtures/chat/falcosidekick-notify.json, recorded from
// its build with a capture server on 127.0.0.1), and the request headers each of them sent.
import { fixtureJson } from './fixtures.ts';

type Message = Record<string, unknown>;
type Recorded = Record<string, Record<string, Record<string, Message>>> & { $headers: Record<string, Record<string, string>> };

const recorded = fixtureJson<Recorded>('chat/falcosidekick-notify.json');

/** falcosidekick's message for this output, priority and option set (the fixture's $comment lists them). */
export function falcosidekickNotify<T = Message>(output: string, priority: string, variant: string): T {
  const message = recorded[output]?.[priority]?.[variant];
  if (!message) throw new Error(`no recorded ${output} message for ${priority} ${variant}`);
  return structuredClone(message) as T;
}

/** The request headers falcosidekick sent for this output (host and content-length left out). */
export function falcosidekickHeaders(output: string): Record<string, string> {
  const headers = recorded.$headers[output];
  if (!headers) throw new Error(`no recorded ${output} headers`);
  return headers;
}
