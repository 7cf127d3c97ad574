// Lossless JSON for alerts: Falco's output_fields carry integers above 2^53 (evt.time in ns).
// JSON.parse would round them; we keep their source text as JSON.rawJSON values, which
// JSON.stringify writes back byte for byte.

const LONG_DIGITS = /\d{16}/;

function keepBigIntegers(_key: string, value: unknown, context: JSONReviverContext): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context.source !== undefined && /^-?\d+$/.test(context.source)) {
    return JSON.rawJSON(context.source);
  }
  return value;
}

/** Parses JSON, keeping integers beyond Number.MAX_SAFE_INTEGER exact. Throws SyntaxError like JSON.parse. */
export function parseJson(text: string): unknown {
  // The reviver costs a few µs; skip it when no 16-digit run can hold an unsafe integer.
  return LONG_DIGITS.test(text) ? JSON.parse(text, keepBigIntegers) : JSON.parse(text);
}

/** A value as a template, log or metric label sees it: big integers as their digits. */
export function plainValue(value: unknown): unknown {
  return JSON.isRawJSON(value) ? value.rawJSON : value;
}
