// Alert → AWS Security Finding Format (ASFF) finding, within the BatchImportFindings limits:
// Title ≤ 256 chars, Description ≤ 1024, Id/GeneratorId ≤ 512, ProductFields ≤ 50 entries
// (key ≤ 128, value ≤ 2048), UserDefinedFields ≤ 50 (key ≤ 128, value ≤ 1024), Resource
// Details.Other ≤ 50 (key < 128, value < 1024), Types ≤ 50, the whole finding ≤ 240 KB.
import type { Alert } from '../../src/plugin/index.ts';
import { epochNanos, rfc3339Nanos, truncate as cut } from '../../src/plugin/index.ts';
import { findingTypes, severityLabel } from './finding-types.ts';

const SCHEMA_VERSION = '2018-10-08';

export const LIMITS = {
  id: 512,
  title: 256,
  description: 1024,
  entries: 50,
  fieldKey: 128,
  productValue: 2048,
  userValue: 1024,
  otherKey: 127,
  otherValue: 1023,
  resourceId: 512,
  /** Bytes of ProductFields output-field values we allow, so the finding stays far below 240 KB. */
  productFieldBytes: 96_000,
  /** The API's 240 KB, counted in decimal bytes to stay on the safe side. */
  findingBytes: 240_000,
} as const;

export const TRUNCATED = '… [truncated]';

export interface FindingTarget {
  accountId: string;
  region: string;
  partition: string;
  productArn: string;
}

/** The ASFF subset Peregrine writes (the SDK's AwsSecurityFinding type is structurally wider). */
export interface Finding {
  SchemaVersion: string;
  Id: string;
  ProductArn: string;
  ProductName: string;
  CompanyName: string;
  Region: string;
  GeneratorId: string;
  AwsAccountId: string;
  Types: string[];
  FirstObservedAt: string;
  LastObservedAt: string;
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: string; Original: string };
  Title: string;
  Description: string;
  ProductFields: Record<string, string>;
  UserDefinedFields: Record<string, string>;
  Resources: Resource[];
  FindingProviderFields: { Severity: { Label: string; Original: string }; Types: string[] };
}

interface Resource {
  Type: string;
  Id: string;
  Partition: string;
  Region: string;
  Details?: { Container?: Record<string, string>; Other?: Record<string, string> };
}

/** The finding Id: derived from the alert uuid only, so a re-sent alert updates its finding. */
export function findingId(alert: Alert): string {
  return truncate(`falco/${alert.uuid}`, LIMITS.id, '');
}

export function toFinding(alert: Alert, target: FindingTarget): Finding {
  const time = asffTime(alert.time);
  const types = findingTypes(alert.tags);
  const severity = { Label: severityLabel(alert.priority), Original: alert.priority };
  return {
    SchemaVersion: SCHEMA_VERSION,
    Id: findingId(alert),
    ProductArn: target.productArn,
    ProductName: 'Falco',
    CompanyName: 'Falco',
    Region: target.region,
    GeneratorId: truncate(`falco/${alert.rule}`, LIMITS.id),
    AwsAccountId: target.accountId,
    Types: types,
    FirstObservedAt: time,
    LastObservedAt: time,
    CreatedAt: time,
    UpdatedAt: time,
    Severity: severity,
    Title: truncate(alert.rule, LIMITS.title),
    Description: truncate(alert.output.trim() === '' ? `${alert.priority}: ${alert.rule}` : alert.output, LIMITS.description),
    ProductFields: productFields(alert),
    UserDefinedFields: userDefinedFields(alert),
    Resources: resources(alert, target),
    FindingProviderFields: { Severity: { ...severity }, Types: [...types] },
  };
}

/**
 * ASFF timestamp in UTC with Falco's nanoseconds kept (Security Hub accepts up to 9 fraction
 * digits): `2026-11-20T10:21:36.167531875Z`, whatever offset the alert time had.
 */
export function asffTime(time: string): string {
  return rfc3339Nanos(epochNanos(time));
}

/** The SDK's truncate with this output's marker. */
export function truncate(text: string, max: number, marker: string = TRUNCATED): string {
  return cut(text, max, marker);
}

/** A field value as text: strings as they are, big integers (JSON.rawJSON) as their exact digits. */
function fieldText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  return JSON.stringify(value);
}

const OMITTED_KEY = 'falco/output_fields_omitted';

function productFields(alert: Alert): Record<string, string> {
  const fields: Record<string, string> = {};
  const put = (key: string, value: string | undefined): void => {
    if (value !== undefined && value.trim() !== '') fields[key] = truncate(value, LIMITS.productValue);
  };
  put('falco/uuid', alert.uuid);
  put('falco/rule', alert.rule);
  put('falco/priority', alert.priority);
  put('falco/source', alert.source);
  put('falco/hostname', alert.hostname);
  put('falco/time', alert.time);
  put('falco/tags', alert.tags.join(','));
  // Output fields in Falco's order until the entry limit (one entry kept for the omitted count)
  // or the byte budget is reached.
  const room = LIMITS.entries - Object.keys(fields).length - 1;
  let bytes = 0;
  let added = 0;
  let omitted = 0;
  // Keys and a lookup, not Object.entries: no [name, value] pair per field (~1 % of the fan-out's
  // allocations, docs/performance-history.md, round 32).
  const of = alert.output_fields;
  for (const name of Object.keys(of)) {
    const value = fieldText(of[name]);
    if (value === undefined) continue;
    const key = `falco/output_fields/${name}`;
    const text = truncate(value, LIMITS.productValue);
    const size = Buffer.byteLength(key) + Buffer.byteLength(text);
    if (key.length > LIMITS.fieldKey || added >= room || bytes + size > LIMITS.productFieldBytes) {
      omitted++;
      continue;
    }
    fields[key] = text;
    bytes += size;
    added++;
  }
  if (omitted > 0) fields[OMITTED_KEY] = String(omitted);
  return fields;
}

function userDefinedFields(alert: Alert): Record<string, string> {
  const fields: Record<string, string> = {};
  const put = (key: string, value: string | undefined): void => {
    if (value !== undefined && value.trim() !== '') fields[key] = truncate(value, LIMITS.userValue);
  };
  put('falco.rule', alert.rule);
  put('falco.priority', alert.priority);
  put('falco.source', alert.source);
  put('falco.hostname', alert.hostname);
  put('falco.tags', alert.tags.join(','));
  return fields;
}

function resources(alert: Alert, target: FindingTarget): Resource[] {
  const f = alert.output_fields;
  const text = (key: string): string | undefined => fieldText(f[key]);
  const base = { Partition: target.partition, Region: target.region };
  const out: Resource[] = [];

  const containerId = text('container.id');
  if (containerId !== undefined && containerId !== 'host') {
    const details: Record<string, string> = {};
    const put = (key: string, value: string | undefined): void => {
      if (value !== undefined) details[key] = truncate(value, LIMITS.otherValue);
    };
    put('Name', text('container.name'));
    put('ImageId', text('container.image.id'));
    const repo = text('container.image.repository');
    const tag = text('container.image.tag');
    put('ImageName', repo !== undefined ? (tag !== undefined ? `${repo}:${tag}` : repo) : text('container.image'));
    out.push({ Type: 'Container', Id: truncate(containerId, LIMITS.resourceId, ''), ...base, ...(Object.keys(details).length > 0 ? { Details: { Container: details } } : {}) });
  }

  const ns = text('k8s.ns.name');
  const pod = text('k8s.pod.name');
  if (pod !== undefined || ns !== undefined) {
    const id = pod !== undefined ? `k8s/pod/${ns ?? 'unknown'}/${pod}` : `k8s/namespace/${ns}`;
    out.push({ Type: 'Other', Id: truncate(id, LIMITS.resourceId, ''), ...base, Details: { Other: other({ 'k8s.ns.name': ns, 'k8s.pod.name': pod }) } });
  }

  if (out.length === 0) {
    const host = alert.hostname !== undefined && alert.hostname.trim() !== '' ? alert.hostname : 'unknown';
    out.push({ Type: 'Other', Id: truncate(`host/${host}`, LIMITS.resourceId, ''), ...base, Details: { Other: other({ hostname: host, source: alert.source }) } });
  }
  return out;
}

function other(values: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k.slice(0, LIMITS.otherKey)] = truncate(v, LIMITS.otherValue);
  return out;
}

/** The finding's JSON, as the call's body carries it, and its size in bytes, as the API counts it. */
export function serializeFinding(finding: Finding): { json: string; bytes: number } {
  const json = JSON.stringify(finding);
  return { json, bytes: Buffer.byteLength(json) };
}
