// An alert as a Kafka record: value = the enriched alert JSON (shared, lossless), key = the alert uuid
// (the idempotency key: a replayed alert is recognisable downstream) or a chosen field so related alerts
// share a partition, headers = what consumers route on without parsing the value.
import type { Message } from 'kafkajs';
import { serializeAlert, type Alert } from '../../src/plugin/index.ts';

const TOP_LEVEL = new Set(['uuid', 'hostname', 'rule', 'priority', 'source']);

/** The key for an alert: keyfield's value as text when present and not null, else the uuid. */
export function messageKey(alert: Alert, keyfield: string): string {
  if (keyfield === '') return alert.uuid;
  let value: unknown = alert.output_fields[keyfield];
  if ((value === undefined || value === null) && TOP_LEVEL.has(keyfield)) value = (alert as unknown as Record<string, unknown>)[keyfield];
  if (value === undefined || value === null) return alert.uuid;
  // Big integers are JSON.rawJSON values: JSON.stringify writes their exact digits.
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function toMessage(alert: Alert, options: { keyfield: string; partition: number }): Message {
  const message: Message = {
    key: messageKey(alert, options.keyfield),
    value: serializeAlert(alert),
    headers: { priority: alert.priority, rule: alert.rule, source: alert.source },
  };
  // partition 0 means "not set", as in falcosidekick (see the option's description).
  if (options.partition > 0) message.partition = options.partition;
  return message;
}
