// falcosidekick-ui validates the event before it stores it (models.Event's `validate` tags) and
// answers a refused one with 500, the status it also gives when Redis is down: a retry could never
// tell them apart. So the alerts it would refuse are refused here, with the field and the rule.
import { createHash } from 'node:crypto';
import type { Alert } from '../../src/plugin/index.ts';

// go-playground/validator's `uuid`, `ascii` and `printascii`.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Every character at most U+007F (a control character is ASCII too).
const isAscii = (text: string) => [...text].every((c) => c.charCodeAt(0) <= 0x7f);
const PRINTASCII = /^[\x20-\x7E]*$/;

/**
 * The uuid the UI is sent: a lower-case UUID as it is; another id a sender gave (Peregrine keeps a
 * sender's uuid, falcosidekick always makes a new one) turned into a UUID, lower-cased when it is
 * one, else a name-based UUID (version 5 layout, SHA-1 of the id): the same id gives the same UUID
 * on every retry, so the UI stores a re-sent alert once.
 */
export function uiUuid(uuid: string): string {
  if (UUID.test(uuid)) return uuid;
  const lower = uuid.toLowerCase();
  if (UUID.test(lower)) return lower;
  const hex = createHash('sha1').update(`peregrine:${uuid}`).digest('hex');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Why falcosidekick-ui would refuse the alert (its uuid aside: uiUuid), or undefined when it takes it. */
export function uiRefusal(alert: Alert): string | undefined {
  if (alert.output === '') return 'output is empty';
  if (!isAscii(alert.output)) return 'output has a character outside ASCII';
  for (const key of ['priority', 'rule'] as const) {
    if (!PRINTASCII.test(alert[key])) return `${key} has a character outside printable ASCII`;
  }
  if (!PRINTASCII.test(alert.source)) return 'source has a character outside printable ASCII';
  if (alert.hostname !== undefined && !PRINTASCII.test(alert.hostname)) return 'hostname has a character outside printable ASCII';
  return undefined;
}
