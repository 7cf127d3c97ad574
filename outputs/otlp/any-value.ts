// Alert values → OTLP AnyValue, types kept: string → stringValue, integer → intValue (int64; big
// integers from their exact text, never through a JS number), other numbers → doubleValue, boolean
// → boolValue, array → arrayValue, object → kvlistValue. null is left out of attributes (and is an
// empty AnyValue inside an array, to keep positions). An integer outside int64 (Falco has none;
// uint64 fields stop at 2^63 in practice) is sent as its exact decimal text in stringValue.

export type Value =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: string } // decimal text within int64
  | { readonly kind: 'double'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'array'; readonly values: readonly Value[] }
  | { readonly kind: 'kvlist'; readonly values: readonly KeyValue[] }
  | { readonly kind: 'empty' };

export interface KeyValue {
  readonly key: string;
  readonly value: Value;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const EMPTY: Value = { kind: 'empty' };

/** undefined for null/undefined (an attribute to leave out). */
export function toValue(v: unknown): Value | undefined {
  switch (typeof v) {
    case 'string':
      return { kind: 'string', value: v };
    case 'boolean':
      return { kind: 'bool', value: v };
    case 'number':
      if (Number.isSafeInteger(v)) return { kind: 'int', value: String(v) };
      return { kind: 'double', value: v };
    case 'bigint':
      return integerText(v.toString());
    case 'object':
      if (v === null) return undefined;
      if (JSON.isRawJSON(v)) return rawNumber((v as { rawJSON: string }).rawJSON);
      if (Array.isArray(v)) return { kind: 'array', values: v.map((item) => toValue(item) ?? EMPTY) };
      return { kind: 'kvlist', values: keyValues(v as Record<string, unknown>) };
    default:
      return undefined;
  }
}

export function keyValues(record: Readonly<Record<string, unknown>>, skip?: ReadonlySet<string>): KeyValue[] {
  const out: KeyValue[] = [];
  for (const key in record) {
    if (skip?.has(key)) continue;
    const value = toValue(record[key]);
    if (value) out.push({ key, value });
  }
  return out;
}

/** The lossless parser's raw JSON: the exact text of an integer a JS number cannot hold. */
function rawNumber(text: string): Value {
  return /^-?\d+$/.test(text) ? integerText(text) : { kind: 'double', value: Number(text) };
}

function integerText(text: string): Value {
  const n = BigInt(text);
  return n >= INT64_MIN && n <= INT64_MAX ? { kind: 'int', value: n.toString() } : { kind: 'string', value: text };
}
