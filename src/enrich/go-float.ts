// float64 formatting as Go's strconv does it for fmt's %v %g %e %f: shortest digits for %v, and
// for an explicit precision the exact decimal value of the double rounded half to even (Go prints
// `%.1f` of 2.25 as 2.2 and `%.0f` of 2.5 as 2, where JavaScript's toFixed gives 2.3 and 3).

interface Digits {
  /** Significant decimal digits, no leading zeros ("" for zero). */
  readonly digits: string;
  /** Position of the decimal point relative to the first digit: value = 0.digits × 10^point. */
  readonly point: number;
}

/** The shortest digits that read back as `value` (what Go's and JavaScript's shortest printers agree on). */
function shortest(value: number): Digits {
  if (value === 0) return { digits: '', point: 0 };
  const [mantissa = '', exponent = '0'] = Math.abs(value).toExponential().split('e');
  return { digits: mantissa.replace('.', ''), point: Number(exponent) + 1 };
}

/** Every decimal digit of the double, exactly (a double is m × 2^e, so a finite decimal). */
function exact(value: number): Digits {
  if (value === 0) return { digits: '', point: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(value));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const m = biased === 0 ? fraction : fraction | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  let text: string;
  let point: number;
  if (e >= 0) {
    text = (m << BigInt(e)).toString();
    point = text.length;
  } else {
    text = (m * 5n ** BigInt(-e)).toString();
    point = text.length + e;
  }
  const trimmed = text.replace(/0+$/, '');
  const lead = trimmed.length - trimmed.replace(/^0+/, '').length;
  return { digits: trimmed.slice(lead), point: point - lead };
}

/** Rounds to `keep` significant digits, half to even on the exact digits. */
function round(d: Digits, keep: number): Digits {
  if (keep < 0) return { digits: '', point: d.point };
  if (d.digits.length <= keep) return d;
  const rest = d.digits.slice(keep);
  let head = d.digits.slice(0, keep);
  const up = rest[0]! > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || (head !== '' && Number(head.at(-1)) % 2 === 1)));
  let point = d.point;
  if (up) {
    const bumped = (BigInt(head === '' ? '0' : head) + 1n).toString();
    if (bumped.length > head.length) point++;
    head = head === '' ? bumped : bumped.slice(0, Math.max(head.length, 1));
  }
  return { digits: head.replace(/0+$/, ''), point };
}

function fixed(d: Digits, precision: number): string {
  const padded = d.digits.padEnd(Math.max(d.point + precision, 0), '0');
  const intPart = d.point > 0 ? padded.slice(0, d.point).padEnd(d.point, '0') : '0';
  const frac = d.point >= 0 ? padded.slice(d.point, d.point + precision) : ('0'.repeat(-d.point) + padded).slice(0, precision);
  return precision > 0 ? `${intPart}.${frac.padEnd(precision, '0')}` : intPart;
}

function scientific(d: Digits, precision: number, upper: boolean): string {
  const digits = d.digits === '' ? '0' : d.digits;
  const first = digits[0] ?? '0';
  const frac = digits.slice(1).padEnd(precision, '0').slice(0, precision);
  const exp = d.digits === '' ? 0 : d.point - 1;
  const sign = exp < 0 ? '-' : '+';
  const e = `${upper ? 'E' : 'e'}${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  return `${first}${precision > 0 ? `.${frac}` : ''}${e}`;
}

/** strconv.FormatFloat(value, verb, precision, 64) for verbs e E f F g G; precision -1 is shortest. */
export function formatFloat(value: number, verb: string, precision: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const upper = verb === 'E' || verb === 'G';
  const lower = verb.toLowerCase();
  if (lower === 'f') {
    const d = precision < 0 ? shortest(value) : round(exact(value), exact(value).point + precision);
    return sign + fixed(d, precision < 0 ? Math.max(d.digits.length - d.point, 0) : precision);
  }
  if (lower === 'e') {
    const d = precision < 0 ? shortest(value) : round(exact(value), precision + 1);
    return sign + scientific(d, precision < 0 ? Math.max(d.digits.length - 1, 0) : precision, upper);
  }
  // %g: %e when the exponent is < -4 or >= the precision (6 for the shortest form), else %f; no trailing zeros.
  const d = precision < 0 ? shortest(value) : round(exact(value), precision === 0 ? 1 : precision);
  let eprec = precision < 0 ? 6 : precision === 0 ? 1 : precision;
  if (precision >= 0 && eprec > d.digits.length && d.digits.length >= d.point) eprec = d.digits.length;
  const exp = d.digits === '' ? 0 : d.point - 1;
  if (exp < -4 || exp >= eprec) return sign + scientific(d, Math.max(d.digits.length - 1, 0), upper);
  return sign + fixed(d, Math.max(d.digits.length - d.point, 0));
}
