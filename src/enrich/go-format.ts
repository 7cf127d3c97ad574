// Go's fmt for the values templates handle, so that `printf`, `print` and `println` in translated
// falcosidekick templates print what they printed there: flags, width and precision (`%-8s`,
// `%05d`, `%5.2f`), argument indexes (`%[2]s`), the verbs of each type, and Go's error texts
// (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA int=1)`) where a verb does not fit its argument.
import { formatFloat } from './go-float.ts';
import { goTypeName, isGoInt, isMap, JsonNumber, stringLike } from './go-values.ts';

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  precision?: number;
}

const PLAIN: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };

/** fmt's %v: nil as `<nil>`, floats in Go's shortest form, slices as `[a b]`, maps as `map[k:v]` with sorted keys. */
export function goValue(value: unknown): string {
  return format(PLAIN, 'v', value, false);
}

/** fmt.Sprint: a space between two operands when neither is a string (json.Number is one). */
export function goSprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && stringLike(arg) === undefined && stringLike(args[i - 1]) === undefined) out += ' ';
    out += goValue(arg);
  });
  return out;
}

/** fmt.Sprintln: always a space between operands, and a newline. */
export function goSprintln(args: readonly unknown[]): string {
  return `${args.map(goValue).join(' ')}\n`;
}

const MAX_WIDTH = 1e6;

const isDigit = (text: string, at: number) => text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57;

/**
 * fmt.Sprintf. `lenient` (Handlebars templates, which see plain values, not Go's): `%s` and `%q`
 * print a number or boolean as its text, and an integer verb prints integer text (the digits a big
 * integer is held as there) as the integer, as they did before Go's rules were followed exactly.
 */
export function goSprintf(template: string, args: readonly unknown[], lenient = false): string {
  let out = '';
  let next = 0;
  let reordered = false;
  let i = 0;
  const n = template.length;
  // `[n]` before a width, precision or verb picks the argument (1-based); a bad one is BADINDEX.
  const argIndex = (): boolean | undefined => {
    if (template[i] !== '[') return undefined;
    reordered = true;
    const close = template.indexOf(']', i);
    const text = close === -1 ? '' : template.slice(i + 1, close);
    i = close === -1 ? n : close + 1;
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > args.length) return false;
    next = Number(text) - 1;
    return true;
  };
  // Go's tooLarge: a width or precision past 1e6 is refused (BADWIDTH, BADPREC, NOVERB), so a
  // template cannot make a field of megabytes, or seconds of event loop, per alert.
  const star = (): number | undefined => {
    const arg = args[next++];
    return typeof arg === 'number' && isGoInt(arg) && Math.abs(arg) <= MAX_WIDTH ? arg : undefined;
  };
  /** Go's parsenum: the digits at i, or undefined (and the rest of the template consumed) when they overflow. */
  const number = (): number | undefined => {
    let value = 0;
    for (; i < n && isDigit(template, i); i++) {
      if (value > MAX_WIDTH) {
        i = n;
        return undefined;
      }
      value = value * 10 + Number(template[i]);
    }
    return value;
  };
  while (i < n) {
    const c = template[i++] as string;
    if (c !== '%') {
      out += c;
      continue;
    }
    const spec: Spec = { ...PLAIN };
    for (; i < n; i++) {
      const f = template[i];
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === '#') spec.sharp = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = true;
      else break;
    }
    let good = argIndex() !== false;
    if (template[i] === '*') {
      i++;
      const width = next < args.length ? star() : undefined;
      if (width === undefined) out += '%!(BADWIDTH)';
      else {
        spec.minus ||= width < 0;
        spec.width = Math.abs(width);
      }
    } else if (isDigit(template, i)) {
      const width = number();
      if (width !== undefined) spec.width = width;
    }
    if (template[i] === '.') {
      i++;
      if (argIndex() === false) good = false;
      if (template[i] === '*') {
        i++;
        const precision = next < args.length ? star() : undefined;
        if (precision === undefined || precision < 0) out += '%!(BADPREC)';
        else spec.precision = precision;
      } else {
        const precision = number();
        if (precision !== undefined) spec.precision = precision;
      }
    }
    if (argIndex() === false) good = false;
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(template.codePointAt(i) as number);
    i += verb.length;
    if (verb === '%') out += '%';
    else if (!good) out += `%!${verb}(BADINDEX)`;
    else if (next >= args.length) out += `%!${verb}(MISSING)`;
    else {
      const arg = args[next++];
      // A big integer's digits (evt.time in ns) under %d: printed as they are, exactly.
      const digits = lenient && verb === 'd' && typeof arg === 'string' && /^-?\d{1,40}$/.test(arg) && !Number.isSafeInteger(Number(arg));
      out += digits ? pad(spec, arg) : format(spec, verb, lenient ? lenientArg(verb, arg) : arg, true);
    }
  }
  if (!reordered && next < args.length) {
    out += `%!(EXTRA ${args.slice(next).map((a) => (a === null || a === undefined ? '<nil>' : `${goTypeName(a)}=${goValue(a)}`)).join(', ')})`;
  }
  return out;
}

/** Handlebars' printf: a number or boolean for %s/%q as text, integer text for an integer verb as the integer. */
function lenientArg(verb: string, value: unknown): unknown {
  if ((verb === 's' || verb === 'q') && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  if ('dboxX'.includes(verb) && typeof value === 'string' && /^-?\d{1,16}$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  return value;
}

function badVerb(verb: string, value: unknown): string {
  return value === null || value === undefined ? `%!${verb}(<nil>)` : `%!${verb}(${goTypeName(value)}=${goValue(value)})`;
}

/** One operand; `top` is false inside a slice or map, where nil prints as `<nil>` whatever the verb. */
function format(spec: Spec, verb: string, value: unknown, top: boolean): string {
  if (verb === 'T') return pad(spec, goTypeName(value));
  if (value === null || value === undefined) return top && verb !== 'v' ? badVerb(verb, value) : pad(spec, '<nil>');
  if (Array.isArray(value)) return `[${value.map((item) => format(spec, verb, item, false)).join(' ')}]`;
  if (isMap(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((k) => `${format(spec, verb, k, false)}:${format(spec, verb, value[k], false)}`).join(' ')}]`;
  }
  if (typeof value === 'boolean') return verb === 'v' || verb === 't' ? pad(spec, String(value)) : badVerb(verb, value);
  if (typeof value === 'number') return isGoInt(value) ? formatInt(spec, verb, value) : formatFloatVerb(spec, verb, value);
  const text = stringLike(value);
  if (text !== undefined) return formatString(spec, verb, text, value);
  return badVerb(verb, value);
}

function pad(spec: Spec, text: string, zeroAllowed = false): string {
  const width = spec.width ?? 0;
  const length = [...text].length;
  if (length >= width) return text;
  if (spec.minus) return text + ' '.repeat(width - length);
  if (spec.zero && zeroAllowed) {
    const sign = /^[+\- ]/.test(text) ? (text[0] as string) : '';
    const prefix = /^[+\- ]?0[xXbo]/.test(text) ? text.slice(0, sign.length + 2) : sign;
    return prefix + '0'.repeat(width - length) + text.slice(prefix.length);
  }
  return ' '.repeat(width - length) + text;
}

function signed(spec: Spec, negative: boolean, digits: string): string {
  return (negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '') + digits;
}

function formatInt(spec: Spec, verb: string, value: number): string {
  const negative = value < 0;
  const magnitude = BigInt(Math.abs(value));
  const bases: Record<string, [number, string]> = { d: [10, ''], v: [10, ''], b: [2, '0b'], o: [8, '0'], O: [8, '0o'], x: [16, '0x'], X: [16, '0X'] };
  const base = bases[verb];
  if (base !== undefined) {
    let digits = magnitude.toString(base[0]);
    if (verb === 'X') digits = digits.toUpperCase();
    if (spec.precision !== undefined) digits = spec.precision === 0 && magnitude === 0n ? '' : digits.padStart(spec.precision, '0');
    const prefix = verb === 'O' || (spec.sharp && verb !== 'd' && verb !== 'v' && !(verb === 'o' && digits.startsWith('0'))) ? base[1] : '';
    return pad(spec, signed(spec, negative, prefix + digits), spec.precision === undefined);
  }
  if (verb === 'c') return pad(spec, validRune(value) ? String.fromCodePoint(value) : '\uFFFD');
  if (verb === 'q') return pad(spec, quoteRune(validRune(value) ? value : 0xfffd, spec.plus));
  if (verb === 'U') {
    const hex = magnitude.toString(16).toUpperCase().padStart(spec.precision ?? 4, '0');
    const rune = spec.sharp && validRune(value) && isPrint(String.fromCodePoint(value)) ? ` '${String.fromCodePoint(value)}'` : '';
    return pad(spec, `${negative ? '-' : ''}U+${hex}${rune}`);
  }
  return badVerb(verb, value);
}

function formatFloatVerb(spec: Spec, verb: string, value: number): string {
  if (!'veEfFgG'.includes(verb)) return badVerb(verb, value);
  const precision = spec.precision ?? ('eEfF'.includes(verb) ? 6 : -1);
  let text = formatFloat(value, verb === 'v' ? 'g' : verb === 'F' ? 'f' : verb, precision);
  if (spec.plus && !text.startsWith('-')) text = `+${text}`;
  else if (spec.space && !text.startsWith('-')) text = ` ${text}`;
  return pad(spec, text, Number.isFinite(value));
}

function formatString(spec: Spec, verb: string, text: string, value: unknown): string {
  const cut = spec.precision === undefined ? text : [...text].slice(0, spec.precision).join('');
  switch (verb) {
    case 'v':
      return pad(spec, spec.sharp ? quote(cut, false) : cut); // %#v: Go syntax, a quoted string
    case 's':
      return pad(spec, cut);
    case 'q':
      return pad(spec, spec.sharp && canBackquote(cut) ? `\`${cut}\`` : quote(cut, spec.plus));
    case 'x':
    case 'X': {
      let bytes = [...Buffer.from(text, 'utf8')];
      if (spec.precision !== undefined) bytes = bytes.slice(0, spec.precision);
      const hex = bytes.map((b) => (spec.sharp ? (verb === 'x' ? '0x' : '0X') : '') + b.toString(16).padStart(2, '0'));
      const joined = hex.join(spec.space ? ' ' : '');
      return pad(spec, verb === 'X' ? joined.toUpperCase().replaceAll('0X', '0X') : joined);
    }
    default:
      return badVerb(verb, value instanceof JsonNumber ? value : text);
  }
}

function validRune(value: number): boolean {
  return value >= 0 && value <= 0x10ffff && !(value >= 0xd800 && value <= 0xdfff);
}

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

export function isPrint(char: string): boolean {
  return PRINTABLE.test(char);
}

const SHORT_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

function escapeRune(char: string, quoteChar: string, asciiOnly: boolean): string {
  if (char === quoteChar || char === '\\') return `\\${char}`;
  const cp = char.codePointAt(0) as number;
  if (isPrint(char) && !(asciiOnly && cp >= 0x80)) return char;
  const short = SHORT_ESCAPES[char];
  if (short !== undefined) return short;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** strconv.Quote (QuoteToASCII with `+`). */
function quote(text: string, asciiOnly: boolean): string {
  return `"${[...text].map((c) => escapeRune(c, '"', asciiOnly)).join('')}"`;
}

function quoteRune(cp: number, asciiOnly: boolean): string {
  return `'${escapeRune(String.fromCodePoint(cp), "'", asciiOnly)}'`;
}

function canBackquote(text: string): boolean {
  return [...text].every((c) => c !== '`' && c !== '\uFEFF' && (c === '\t' || isPrint(c) || (c.codePointAt(0) as number) >= 0x80));
}
