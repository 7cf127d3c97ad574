// Lossless JSON for alerts: Falco's output_fields carry integers above 2^53 (evt.time in ns).
// JSON.parse would round them; we keep their source text as JSON.rawJSON values, which
// JSON.stringify writes back byte for byte.
//
// Why not a JSON.parse reviver with source access: V8 calls it for every value and it costs ~24 µs
// for a 1 KB alert against ~3 µs for a plain parse (bench: node bench/json.ts). Instead we find the
// few unsafe integer tokens, swap them for sentinel strings, parse plainly, and swap the sentinels
// back for raw JSON values.
//
// Finding them, fast: one regex pass takes every run of 16+ digits that sits where a number can
// (after `:` `,` `[`, before `,` `}` `]`). Such a run inside a string is not a number, but swapping
// it breaks the JSON for sure: the char before it cannot continue a backslash escape, so the quote
// we insert closes the string and the `\u0000` after it is outside one, a syntax error. So when the
// swapped text parses, every swap was a number token: the result is exact. When it does not, the
// exact scanner below (which tracks strings) runs instead, and reports malformed JSON.
import { randomBytes } from 'node:crypto';
import { detached } from './detached.ts';

const CANDIDATES = /[:,[][ \t\n\r]*(-?\d{16,})(?=[ \t\n\r]*[,}\]])/g;
// Unguessable per process, so no string a sender writes can be mistaken for a sentinel.
const NONCE = randomBytes(8).toString('hex');
const SENTINEL = `\u0000${NONCE}:`; // as parsed
const SENTINEL_TEXT = `\\u0000${NONCE}:`; // as written in JSON (a raw NUL is not allowed in a JSON string)

const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;

/**
 * [start, end) of each run of 16+ digits in a number's place that a JS number cannot hold exactly,
 * some possibly inside strings (see above); undefined when the text is not an object or array.
 */
function candidateIntegers(text: string): number[] | undefined {
  let first = 0;
  while (first < text.length && ' \t\n\r'.includes(text[first] as string)) first++;
  if (text[first] !== '{' && text[first] !== '[') return undefined; // a lone number: the scanner handles it
  const spans: number[] = [];
  CANDIDATES.lastIndex = 0;
  for (let m = CANDIDATES.exec(text); m !== null; m = CANDIDATES.exec(text)) {
    const digits = m[1] as string;
    const end = m.index + m[0].length;
    if (!Number.isSafeInteger(Number(digits))) spans.push(end - digits.length, end);
  }
  return spans;
}

/** [start, end) of each integer token outside strings that a JS number cannot hold exactly. */
function unsafeIntegers(text: string): number[] {
  const spans: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Most of an alert is inside strings: jump to the closing quote (one not escaped).
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && escaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) break; // unterminated: JSON.parse reports it
      i = end;
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

/** Whether the quote at `at` is escaped: an odd run of backslashes before it. */
function escaped(text: string, at: number): boolean {
  let n = 0;
  while (text.charCodeAt(at - 1 - n) === BACKSLASH) n++;
  return n % 2 === 1;
}

/** The text with each span swapped for a numbered sentinel string, and the spans' own text. */
function rewrite(text: string, spans: number[]): { text: string; raws: string[] } {
  const raws: string[] = [];
  let rewritten = '';
  let from = 0;
  for (let s = 0; s < spans.length; s += 2) {
    const start = spans[s] as number;
    const end = spans[s + 1] as number;
    // Detached: each raw integer lives as long as its alert, and a slice would keep the request's
    // whole body alive with it (54 KiB per alert of a POST of 100, while any one of them is queued).
    raws.push(detached(text.slice(start, end)));
    rewritten += `${text.slice(from, start)}"${SENTINEL_TEXT}${raws.length - 1}"`;
    from = end;
  }
  return { text: rewritten + text.slice(from), raws };
}

/** Swaps each sentinel string in the parsed value for its raw JSON; writes only where one is found. */
function restore(value: unknown, raws: string[]): unknown {
  if (isSentinel(value)) return rawFor(value, raws);
  if (value !== null && typeof value === 'object') restoreWithin(value as Record<string, unknown>, raws);
  return value;
}

// With an explicit stack, not recursion: JSON.parse takes any depth, and a deep document must get
// the ingest depth limit's clear 400, not a stack overflow reported as "malformed JSON".
function restoreWithin(root: Record<string, unknown> | unknown[], raws: string[]): void {
  const stack: (Record<string, unknown> | unknown[])[] = [root];
  for (let container = stack.pop(); container !== undefined; container = stack.pop()) {
    const keys = Array.isArray(container) ? undefined : Object.keys(container);
    const length = keys ? keys.length : (container as unknown[]).length;
    for (let i = 0; i < length; i++) {
      const key = keys ? (keys[i] as string) : i;
      const v = (container as Record<string | number, unknown>)[key];
      if (typeof v === 'string') {
        if (isSentinel(v)) (container as Record<string | number, unknown>)[key] = rawFor(v, raws);
      } else if (v !== null && typeof v === 'object') {
        stack.push(v as Record<string, unknown>);
      }
    }
  }
}

function isSentinel(value: unknown): value is string {
  return typeof value === 'string' && value.charCodeAt(0) === 0 && value.startsWith(SENTINEL);
}

/** The raw JSON of the integer a sentinel stands for. */
function rawFor(sentinel: string, raws: string[]): ReturnType<typeof JSON.rawJSON> {
  return JSON.rawJSON(raws[Number(sentinel.slice(SENTINEL.length))] as string);
}

/** Parses JSON, keeping integers beyond Number.MAX_SAFE_INTEGER exact. Throws SyntaxError like JSON.parse. */
export function parseJson(text: string): unknown {
  const candidates = candidateIntegers(text);
  if (candidates?.length === 0) return JSON.parse(text);
  if (candidates !== undefined) {
    try {
      return parseSwapped(text, candidates);
    } catch {
      // A candidate sat inside a string, or the JSON is malformed: the exact scanner decides.
    }
  }
  const spans = unsafeIntegers(text);
  if (spans.length === 0) return JSON.parse(text);
  try {
    return parseSwapped(text, spans);
  } catch {
    JSON.parse(text); // report the error against what the client sent
    throw new SyntaxError('malformed JSON');
  }
}

function parseSwapped(text: string, spans: number[]): unknown {
  const { text: rewritten, raws } = rewrite(text, spans);
  return restore(JSON.parse(rewritten), raws);
}

/** A value as a template, log or metric label sees it: big integers as their digits. */
export function plainValue(value: unknown): unknown {
  return JSON.isRawJSON(value) ? value.rawJSON : value;
}
