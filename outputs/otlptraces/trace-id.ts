// falcosidekick's trace id (outputs/otlp_traces.go generateTraceID): FNV-1a 128-bit of
// "<k8s.ns.name>:<k8s.pod.name>", else the container id (unless "host"), else evt.hostname, so the
// alerts of one pod, container or host make one trace. falcosidekick sends nothing for an alert with
// none of them ("can't find any field to generate an immutable trace id"); here the alert's
// hostname, then its uuid, name the trace instead.
import { createHash } from 'node:crypto';
import type { Alert } from '../../src/plugin/index.ts';

const OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const PRIME = 0x0000000001000000000000000000013bn;
const MASK = (1n << 128n) - 1n;
const encoder = new TextEncoder();

/** FNV-1a, 128 bits, big-endian bytes (Go's hash/fnv New128a().Sum(nil)). */
export function fnv128a(text: string): Uint8Array {
  let h = OFFSET;
  for (const byte of encoder.encode(text)) h = ((h ^ BigInt(byte)) * PRIME) & MASK;
  const out = new Uint8Array(16);
  for (let i = 15; i >= 0; i--, h >>= 8n) out[i] = Number(h & 0xffn);
  return out;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What the trace is named after: falcosidekick's choice, then hostname, then uuid. */
export function traceKey(alert: Alert): string {
  const fields = alert.output_fields;
  const ns = text(fields['k8s.ns.name']);
  const pod = text(fields['k8s.pod.name']);
  if (ns && pod) return `${ns}:${pod}`;
  const container = text(fields['container.id']);
  if (container && container !== 'host') return container;
  return text(fields['evt.hostname']) || alert.hostname || alert.uuid;
}

export const traceId = (alert: Alert): Uint8Array => fnv128a(traceKey(alert));

/**
 * The span id, from the alert's uuid: a retry or a replay from the dead-letter store sends the same
 * span, which a tracing backend keeps once (falcosidekick's SDK draws a random one per send).
 */
export function spanId(alert: Alert): Uint8Array {
  const id = new Uint8Array(createHash('sha256').update(alert.uuid).digest().subarray(0, 8));
  if (id.every((b) => b === 0)) id[7] = 1; // all zero is an invalid span id
  return id;
}
