// The _bulk NDJSON body, shared by both transports: one `create` action per alert (`_id` = alert
// uuid, so a replay is a 409 instead of a duplicate) and the document = the alert + @timestamp.
// Hot path: the document is the cached serializeAlert() text with @timestamp spliced in front,
// never a second JSON.stringify of the alert (and big integers stay exact either way).
import { newFields, serializeAlert, type Alert } from '../../src/plugin/index.ts';
import { indexName, type Suffix } from './index-name.ts';

export interface BulkTarget {
  index: string;
  /** Ignored for data streams: they are written by name. */
  suffix: Suffix;
  datastream: boolean;
  flattenfields: boolean;
}

export class BulkBodyBuilder {
  private readonly target: BulkTarget;
  /** `{"create":{"_index":"falco-2026.11.20","_id":` per index name (a handful per process lifetime). */
  private readonly prefixes = new Map<string, string>();

  constructor(target: BulkTarget) {
    this.target = target;
  }

  indexFor(alert: Alert): string {
    const { index, suffix, datastream } = this.target;
    return datastream ? index : indexName(index, suffix, alert.time);
  }

  build(alerts: readonly Alert[]): string {
    let body = '';
    for (const alert of alerts) body += `${this.action(alert)}\n${this.document(alert)}\n`;
    return body;
  }

  action(alert: Alert): string {
    const index = this.indexFor(alert);
    let prefix = this.prefixes.get(index);
    if (prefix === undefined) {
      if (this.prefixes.size > 1000) this.prefixes.clear(); // alerts spanning many days: keep it bounded
      prefix = `{"create":{"_index":${JSON.stringify(index)},"_id":`;
      this.prefixes.set(index, prefix);
    }
    return `${prefix}${JSON.stringify(alert.uuid)}}}`;
  }

  document(alert: Alert): string {
    const timestamp = `{"@timestamp":${JSON.stringify(alert.time)},`;
    if (!this.target.flattenfields) return timestamp + serializeAlert(alert).slice(1);
    // flattenfields: a new output_fields object; its values (JSON.rawJSON big integers included) are
    // copied as they are, so JSON.stringify writes them back unchanged.
    const flat = newFields(); // null prototype: a "__proto__" field stays a field
    for (const [key, value] of Object.entries(alert.output_fields)) flat[key.replaceAll('.', '_')] = value;
    return timestamp + JSON.stringify({ ...alert, output_fields: flat }).slice(1);
  }
}
