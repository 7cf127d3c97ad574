// What falcosidekick 2.34.1 posted to the chat webhooks for test/fixtures/alerts/priorities.json
// (test/fixtures/chat/falcosidekick-chat.json, recorded from its build), and Peregrine's message
// brought to what falcosidekick can express, so the two compare byte for byte.
import { fixtureJson, fixtureText } from './fixtures.ts';

type Message = Record<string, unknown>;
type Recorded = Record<string, Record<string, Record<string, Message>>>;

const recorded = fixtureJson<Recorded>('chat/falcosidekick-chat.json');
const inputs = JSON.parse(fixtureText('alerts/priorities.json')) as { priority: string; output_fields: Record<string, unknown> }[];

/** falcosidekick's message for this output, priority and option set ("all", "text", "fields", "noicon"). */
export function falcosidekickSent(output: string, priority: string, variant: string): Message {
  const message = recorded[output]?.[priority]?.[variant];
  if (!message) throw new Error(`no recorded ${output} message for ${priority} ${variant}`);
  return message;
}

/**
 * Peregrine's Slack-shaped message as falcosidekick would have built it: output fields that are not
 * strings left out (falcosidekick lists only string fields; Peregrine shows numbers too,
 * docs/falcosidekick-differences.md), and falcosidekick's `"fields": null` read as no fields.
 */
export function comparableAttachments(peregrine: Message, falcosidekick: Message, priority: string): [string, string] {
  const input = inputs.find((i) => i.priority === priority);
  const nonString = new Set(Object.entries(input?.output_fields ?? {}).filter(([, v]) => typeof v !== 'string').map(([k]) => k));
  const ours = structuredClone(peregrine) as { attachments?: { fields?: { title: string }[] }[] };
  for (const attachment of ours.attachments ?? []) {
    if (attachment.fields) attachment.fields = attachment.fields.filter((f) => !nonString.has(f.title));
  }
  const theirs = structuredClone(falcosidekick) as { attachments?: Record<string, unknown>[] };
  for (const attachment of theirs.attachments ?? []) if (attachment.fields === null) delete attachment.fields;
  return [JSON.stringify(ours), JSON.stringify(theirs)];
}
