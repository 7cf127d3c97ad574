// String patterns of the match syntax: `/regex/flags`, a glob (`*` any run, `?` one character), or
// an exact value. Compiled once at load: exact values into a Set, every glob of a list into one
// anchored regex, each /regex/ once. A glob also matches its own text, so a value with a stray `*`
// or `?` is never missed, only widened; a regex is the way to match those characters alone.

const REGEX_LITERAL = /^\/(.*)\/([a-z]*)$/s;
// g and y make RegExp.test() stateful (lastIndex): one alert's match would change the next one's.
const ALLOWED_FLAGS = /^[imsu]*$/;

/** Why this pattern cannot be compiled; undefined when it can. */
export function patternProblem(text: string): string | undefined {
  const literal = REGEX_LITERAL.exec(text);
  if (!literal) return undefined;
  const [, source, flags] = literal as unknown as [string, string, string];
  if (!ALLOWED_FLAGS.test(flags)) return `invalid regex ${text}: flags may only be i, m, s, u (g and y would make matching stateful)`;
  if (source === '') return `invalid regex ${text}: it is empty; write the value itself, or /.*/ for anything`;
  try {
    new RegExp(source, flags);
  } catch (err) {
    return `invalid regex ${text}: ${(err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`;
  }
  return undefined;
}

const isGlob = (text: string) => text.includes('*') || text.includes('?');

function globSource(glob: string): string {
  let out = '';
  for (const c of glob) out += c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return out;
}

/** A list of patterns compiled into one test: true when any pattern matches the whole value (regexes: anywhere, as written). */
export interface PatternSet {
  test(value: string): boolean;
  /** The patterns as the user wrote them, for explanations: `["prod-*", /^team-/]`. */
  readonly text: string;
}

/** Compiles patterns; throws on an invalid regex (schema validation reports those first, with the path). */
export function compilePatterns(patterns: readonly string[]): PatternSet {
  const exact = new Set<string>();
  // `prefix*` is by far the most common glob (node-*, team-a-*): startsWith is ~10x cheaper than a regex run.
  const prefixes: string[] = [];
  const globs: string[] = [];
  const regexes: RegExp[] = [];
  for (const p of patterns) {
    const literal = REGEX_LITERAL.exec(p);
    if (literal) {
      const problem = patternProblem(p);
      if (problem) throw new Error(problem);
      regexes.push(new RegExp(literal[1] as string, literal[2]));
    } else if (isGlob(p)) {
      const stem = p.slice(0, -1);
      if (p.endsWith('*') && !isGlob(stem)) prefixes.push(stem);
      else globs.push(globSource(p));
    } else exact.add(p);
  }
  // `u`: a `?` is one character, an emoji too (without it, one UTF-16 unit: half of one).
  if (globs.length) regexes.unshift(new RegExp(`^(?:${globs.join('|')})$`, 'u'));
  const text = `[${patterns.map((p) => (REGEX_LITERAL.test(p) ? p : JSON.stringify(p))).join(', ')}]`;
  // The common shapes get a closure without loops.
  if (prefixes.length === 0 && regexes.length === 0) return { text, test: (v) => exact.has(v) };
  if (exact.size === 0 && prefixes.length === 0 && regexes.length === 1) {
    const re = regexes[0] as RegExp;
    return { text, test: (v) => re.test(v) };
  }
  return {
    text,
    test(v) {
      if (exact.has(v)) return true;
      for (let i = 0; i < prefixes.length; i++) if (v.startsWith(prefixes[i] as string)) return true;
      for (let i = 0; i < regexes.length; i++) if ((regexes[i] as RegExp).test(v)) return true;
      return false;
    },
  };
}
