// Lossless JSON for alerts: Falco's output_fields carry integers above 2^53 (evt.time in ns).
// JSON.parse would round them; we keep their source text as JSON.rawJSON values, which
// JSON.stringify writes back byte for byte.
//
// Why not a JSON.parse reviver with source access: V8 calls it for every value and it costs ~24 µs
// for a 1 KB alert against ~3 µs for a plain parse (bench: node bench/json.ts). Instead a scanner
// finds the few unsafe integer tokens outside strings, swaps them for sentinel strings, parses
// plainly, and swaps the sentinels back for raw JSON values.
import { randomBytes } from 'node:crypto';

const LONG_DIGITS = /\d{16}/;
// Unguessable per process, so no string a sender writes can be mistaken for a sentinel.
const NONCE = randomBytes(8).toString('hex');
const SENTINEL = `\u0000${NONCE}:`; // as parsed
const SENTINEL_TEXT = `\\u0000${NONCE}:`; // as written in JSON (a raw NUL is not allowed in a JSON string)

const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;

/** [start, end) of each integer token outside strings that a JS number cannot hold exactly. */
function unsafeIntegers(text: string): number[] {
  const spans: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      let end = i + 1;
      let integer = true;
      for (; end < text.length; end++) {
        const d = text.charCodeAt(end);
        if (d >= ZERO && d <= NINE) continue;
        if (d === 46 || d === 101 || d === 69 || d === 43 || d === MINUS) integer = false; // . e E + -
        else break;
      }
      if (integer && end - i >= 16 && !Number.isSafeInteger(Number(text.slice(i, end)))) spans.push(i, end);
      i = end - 1;
    }
  }
  return spans;
}

function restore(value: unknown, raws: string[]): unknown {
  if (typeof value === 'string') {
    return value.startsWith(SENTINEL) ? JSON.rawJSON(raws[Number(value.slice(SENTINEL.length))] as string) : value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restore(value[i], raws);
  } else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key in obj) obj[key] = restore(obj[key], raws);
  }
  return value;
}

/** Parses JSON, keeping integers beyond Number.MAX_SAFE_INTEGER exact. Throws SyntaxError like JSON.parse. */
export function parseJson(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  const spans = unsafeIntegers(text);
  if (spans.length === 0) return JSON.parse(text);
  const raws: string[] = [];
  let rewritten = '';
  let from = 0;
  for (let s = 0; s < spans.length; s += 2) {
    const start = spans[s] as number;
    const end = spans[s + 1] as number;
    raws.push(text.slice(start, end));
    rewritten += `${text.slice(from, start)}"${SENTINEL_TEXT}${raws.length - 1}"`;
    from = end;
  }
  rewritten += text.slice(from);
  let parsed: unknown;
  try {
    parsed = JSON.parse(rewritten);
  } catch {
    JSON.parse(text); // report the error against what the client sent
    throw new SyntaxError('malformed JSON');
  }
  return restore(parsed, raws);
}

/** A value as a template, log or metric label sees it: big integers as their digits. */
export function plainValue(value: unknown): unknown {
  return JSON.isRawJSON(value) ? value.rawJSON : value;
}
