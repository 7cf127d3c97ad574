// Go's fmt rules for the few verbs templates use, so `printf` and `print` in translated
// falcosidekick templates print what users saw before (`[a b]`, `<nil>`, `%!d(string=x)`).

/** fmt's %v: nil as `<nil>`, slices as `[a b]`, maps as `map[k:v]` with sorted keys. */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${k}:${goValue((value as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}

function goType(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (Array.isArray(value)) return '[]interface {}';
  if (typeof value === 'object') return 'map[string]interface {}';
  return typeof value === 'boolean' ? 'bool' : 'string';
}

function badVerb(verb: string, value: unknown): string {
  return value === null || value === undefined ? `%!${verb}(<nil>)` : `%!${verb}(${goType(value)}=${goValue(value)})`;
}

// Big integers reach templates as their digit strings; %d must still print them as numbers.
function formatInteger(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return value;
  return badVerb('d', value);
}

function formatVerb(verb: string, value: unknown): string {
  switch (verb) {
    case 'v':
      return goValue(value);
    case 's':
      return typeof value === 'string' ? value : value === null || value === undefined ? badVerb('s', value) : goValue(value);
    case 'd':
      return formatInteger(value);
    case 'q':
      return typeof value === 'string' ? JSON.stringify(value) : badVerb('q', value);
    default:
      return badVerb(verb, value);
  }
}

/** fmt.Sprintf for %s %d %v %q %% (no width or precision), with Go's MISSING/EXTRA markers. */
export function goSprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const verb = format[++i];
    if (verb === undefined) out += '%!(NOVERB)';
    else if (verb === '%') out += '%';
    else if (next >= args.length) out += `%!${verb}(MISSING)`;
    else out += formatVerb(verb, args[next++]);
  }
  if (next < args.length) out += `%!(EXTRA ${args.slice(next).map((a) => `${goType(a)}=${goValue(a)}`).join(', ')})`;
  return out;
}

/** fmt.Sprint: a space between two operands only when neither is a string. */
export function goSprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += goValue(arg);
  });
  return out;
}
