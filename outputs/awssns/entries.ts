// Alerts → PublishBatch entries, as falcosidekick's PublishTopic builds each message: with rawjson
// the alert JSON; otherwise the output text plus message attributes (priority, rule, source, tags,
// hostname, and every string or number output field). FIFO group and deduplication ids, and calls
// of at most 10 entries and 256 KiB. Pure: send.ts does the IO.
import { chunkBySize, newFields, scalarText, serializeAlert, type Alert } from '../../src/plugin/index.ts';
import { groupId } from '../awssqs/entries.ts';

/** PublishBatch takes at most 10 entries. */
const MAX_ENTRIES = 10;
/** SNS's limit for one message (body and attributes) and for the whole PublishBatch call. */
export const MAX_MESSAGE_BYTES = 262_144;

interface Attribute {
  DataType: 'String' | 'Number';
  StringValue: string;
}

export interface Entry {
  index: number;
  /** The entry Id in the call (unique per call): its index there. */
  id: string;
  message: string;
  attributes?: Record<string, Attribute>;
  /** What SNS counts against its 256 KiB: the message plus each attribute's name, type and value. */
  bytes: number;
  groupId?: string;
  dedupId?: string;
}

// SNS attribute names: letters, digits, '_', '-', '.', at most 256; not starting with AWS. or
// Amazon., no leading, trailing or doubled period. A field name outside that would make SNS refuse
// the whole message, so it is left out of the attributes (it is still in the output text).
const NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;
const RESERVED = /^(aws|amazon)\./i;

const isAttributeName = (name: string) => NAME.test(name) && !RESERVED.test(name);

/** falcosidekick's attribute name for an output field: proc.aname[2] → proc.aname.2. */
export function attributeName(field: string): string {
  return field.replaceAll(']', '').replaceAll('[', '.');
}

/**
 * falcosidekick's attributes: priority, rule, source; tags (comma-joined) and hostname when
 * present; string output fields as String, numbers as Number (big integers with every digit);
 * null, booleans and objects left out, as falcosidekick does. Empty strings are left out too: SNS
 * refuses an empty attribute value, which would fail the whole message.
 */
export function messageAttributes(alert: Alert): Record<string, Attribute> {
  // Null prototype: an output field named `__proto__` is an attribute like any other. On an ordinary
  // object it replaced the prototype, and the SDK's serialiser, which walks inherited keys too, sent
  // two nameless attributes that SNS refuses.
  const attrs = newFields<Attribute>();
  // Values well-formed (a lone surrogate as U+FFFD), as the message: see toEntries.
  attrs.priority = { DataType: 'String', StringValue: alert.priority };
  attrs.rule = { DataType: 'String', StringValue: alert.rule.toWellFormed() };
  attrs.source = { DataType: 'String', StringValue: alert.source.toWellFormed() };
  // Not when the tags join to nothing (`[""]`): SNS refuses an empty attribute value, and the message with it.
  const tags = alert.tags.join(',');
  if (tags !== '') attrs.tags = { DataType: 'String', StringValue: tags.toWellFormed() };
  if (alert.hostname) attrs.hostname = { DataType: 'String', StringValue: alert.hostname.toWellFormed() };
  for (const [field, value] of Object.entries(alert.output_fields)) {
    const name = attributeName(field);
    if (!isAttributeName(name)) continue;
    const isNumber = typeof value === 'number' || (value !== null && typeof value === 'object' && JSON.isRawJSON(value));
    if (typeof value !== 'string' && !isNumber) continue;
    const text = scalarText(value);
    if (text === undefined || text === '') continue;
    attrs[name] = { DataType: isNumber ? 'Number' : 'String', StringValue: text.toWellFormed() };
  }
  return attrs;
}

function attributeBytes(attrs: Record<string, Attribute>): number {
  let n = 0;
  for (const [name, a] of Object.entries(attrs)) n += Buffer.byteLength(name) + a.DataType.length + Buffer.byteLength(a.StringValue);
  return n;
}

export function toEntries(alerts: readonly Alert[], opts: { rawjson: boolean; fifo: boolean }): Entry[] {
  return alerts.map((alert, index) => {
    // SNS refuses an empty message: an alert without output text (Falco always sends one) carries its rule name.
    // Well-formed: the SDK URL-encodes the text (SNS's query protocol), and a lone surrogate made
    // encodeURIComponent throw for the whole call, retried until the alert's budget ran out with
    // every alert behind it waiting. It becomes U+FFFD, as falcosidekick's JSON decoding makes it.
    // (The raw JSON escapes it.)
    const message = opts.rawjson ? serializeAlert(alert) : (alert.output || alert.rule).toWellFormed();
    const attributes = opts.rawjson ? undefined : messageAttributes(alert);
    return {
      index,
      id: String(index),
      message,
      ...(attributes ? { attributes } : {}),
      bytes: Buffer.byteLength(message) + (attributes ? attributeBytes(attributes) : 0),
      // FIFO topics: order is kept per host; the alert uuid dedupes a re-sent alert (5-minute window).
      ...(opts.fifo ? { groupId: groupId(alert, 'hostname'), dedupId: alert.uuid } : {}),
    };
  });
}

export function chunkEntries(entries: readonly Entry[]): Entry[][] {
  // Ids restart in each call ("0".."9"): unique within it, as SNS requires.
  return chunkBySize(entries, MAX_ENTRIES, MAX_MESSAGE_BYTES, 0).map((chunk) => chunk.map((e, i) => ({ ...e, id: String(i) })));
}
