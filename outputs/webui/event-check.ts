// falcosidekick-ui validates the event before it stores it (models.Event's `validate` tags) and
// answers a refused one with 500, the status it also gives when Redis is down: a retry could never
// tell them apart. So the alerts it would refuse are refused here, with the field and the rule.
import type { Alert } from '../../src/plugin/index.ts';

// go-playground/validator's `uuid`, `ascii` and `printascii`.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Every character at most U+007F (a control character is ASCII too).
const isAscii = (text: string) => [...text].every((c) => c.charCodeAt(0) <= 0x7f);
const PRINTASCII = /^[\x20-\x7E]*$/;

/** Why falcosidekick-ui would refuse the alert, or undefined when it takes it. */
export function uiRefusal(alert: Alert): string | undefined {
  if (!UUID.test(alert.uuid)) return 'uuid is not a lower-case UUID';
  if (alert.output === '') return 'output is empty';
  if (!isAscii(alert.output)) return 'output has a character outside ASCII';
  for (const key of ['priority', 'rule'] as const) {
    if (!PRINTASCII.test(alert[key])) return `${key} has a character outside printable ASCII`;
  }
  if (!PRINTASCII.test(alert.source)) return 'source has a character outside printable ASCII';
  if (alert.hostname !== undefined && !PRINTASCII.test(alert.hostname)) return 'hostname has a character outside printable ASCII';
  return undefined;
}
