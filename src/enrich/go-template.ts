// Go text/template → Handlebars, once at load. falcosidekick users' values files carry Go
// templates; rather than run two template engines we translate the subset they use into
// Handlebars with Go's meaning kept: `.` is output_fields (as in falcosidekick), `.Priority` and
// friends are alert fields, conditions use Go truth (0 and "" are false), text is copied verbatim.
import { GoTemplateError, lexGoTemplate, lineAndColumn, type Token } from './go-lexer.ts';
import { parseGoTemplate, type Command, type Expr, type Node, type Pipeline } from './go-parser.ts';
import { formatFloat } from './go-float.ts';
import { HELPER_ARITY, INTERNAL_HELPERS } from './helpers.ts';

export { GoTemplateError } from './go-lexer.ts';

/** Go field names (case-sensitive, as Go matches them) that mean the alert, not an output field. */
const ALERT_FIELDS: Readonly<Record<string, string>> = {
  Priority: 'priority',
  Rule: 'rule',
  Output: 'output',
  Source: 'source',
  Hostname: 'hostname',
  Tags: 'tags',
  Time: 'time',
  UUID: 'uuid',
};

const ROOT_FIELDS = '@root.output_fields';
const GO_FUNCTIONS = Object.keys(HELPER_ARITY).filter((name) => !INTERNAL_HELPERS.has(name));
/** Names that are functions in a Go template (Peregrine's helpers, and `call`, refused by name). */
const GO_BUILTINS = new Set([...GO_FUNCTIONS, 'call']);
// A number Handlebars can write as a literal; others are passed as text to `gonum`.
const HANDLEBARS_NUMBER = /^-?\d+(?:\.\d+)?$/;

const LITERALS = new Set<Token['kind']>(['string', 'number', 'bool', 'nil']);
const HANDLEBARS_ONLY = /\{\{~|~\}\}|\{\{\{|\{\{\s*(?:[#^>&!]|\/(?!\*))/;
const GO_COMMENT = /\{\{-?\s*\/\*/;
const GO_HINT = /\{\{-|\{\{\s*["'`(\d]|\s-\}\}|\{\{-?\s*(?:if|end|else\s+if|range|with)\b|(?:^|[\s(|])\.(?:[\p{L}_]|\s|\}\})|\bindex\s+\.\s|\{\{[^}]*\$/u;

/**
 * Whether a template is written in Go's syntax. Handlebars block syntax (`{{#`, `{{/`, `{{~`)
 * means Handlebars; Go-only constructs (keywords, trim markers, `.Field`, `.`, `$`, `|`) mean Go;
 * anything valid in both (`{{rule}}`, `{{or a "x"}}`) stays Handlebars, where it means the same.
 */
export function isGoTemplate(source: string): boolean {
  if (HANDLEBARS_ONLY.test(source)) return false;
  if (GO_COMMENT.test(source)) return true;
  let tokens: Token[];
  try {
    tokens = lexGoTemplate(source);
  } catch {
    // Not lexable as Go: Go-looking text gets the Go error (more useful), the rest goes to Handlebars.
    return GO_HINT.test(source);
  }
  return (
    tokens.some((token, i) => isGoOnly(token, tokens[i - 1]) || goOnlyLiteral(source, token)) ||
    printsLiteral(tokens) ||
    startsGoOnly(tokens) ||
    onlyGoFunctions(tokens)
  );
}

// Every name a Go function (`{{ eq "1" 1 }}`, `{{ println }}`): valid Go, so it means what Go says.
// A Handlebars template names its data (`{{ lower rule }}`), which Go would refuse.
function onlyGoFunctions(tokens: readonly Token[]): boolean {
  const names = tokens.filter((token) => token.kind === 'ident');
  return tokens.some((token) => token.kind === 'open') && names.every((token) => GO_BUILTINS.has(token.value));
}

// Raw strings, character constants and numbers Handlebars has no syntax for (1e21, 0x1F, 1_000).
function goOnlyLiteral(source: string, token: Token): boolean {
  if (token.kind === 'string') return source[token.pos] === '`';
  if (token.kind !== 'number') return false;
  return source[token.pos] === "'" || !HANDLEBARS_NUMBER.test(token.value);
}

// An action opening with `(`: Handlebars cannot.
function startsGoOnly(tokens: readonly Token[]): boolean {
  return tokens.some((token, i) => token.kind === 'lparen' && tokens.slice(0, i).findLast((t) => t.kind !== 'space')?.kind === 'open');
}

// `{{ "x" }}` or `{{ 3 }}` prints the literal in Go but looks up a property named x or 3 in Handlebars.
function printsLiteral(tokens: readonly Token[]): boolean {
  let inside: Token[] | undefined;
  for (const token of tokens) {
    if (token.kind === 'open') inside = [];
    else if (token.kind === 'close') {
      if (inside?.length === 1 && LITERALS.has(inside[0]?.kind ?? 'eof')) return true;
      inside = undefined;
    } else if (token.kind !== 'space') inside?.push(token);
  }
  return false;
}

function isGoOnly(token: Token, previous: Token | undefined): boolean {
  switch (token.kind) {
    case 'open':
    case 'close':
      return token.trim === true;
    case 'keyword':
    case 'dot':
    case 'var':
    case 'pipe':
    case 'declare':
      return true;
    case 'field':
      return previous?.kind !== 'ident'; // `output_fields.x` is a Handlebars path
    default:
      return false;
  }
}

/** Translates Go template source to Handlebars source. Throws GoTemplateError saying what to change. */
export function translateGoTemplate(source: string): string {
  return joinSegments(new Emitter(source).nodes(parseGoTemplate(source), ROOT_FIELDS));
}

type Segment = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'tag'; readonly code: string };

/** A Handlebars parameter: a path, a literal or a `(helper …)` sub-expression. */
interface HbExpr {
  readonly code: string;
  /** The helper name when `code` is a sub-expression. */
  readonly helper?: string;
  /** What Go prints for a literal; literals at top level become plain text. */
  readonly literal?: string;
  /** An integer beyond 2^53: printed exactly, but not usable as a value (`code` would round it). */
  readonly inexact?: string;
}

class Emitter {
  readonly source: string;

  constructor(source: string) {
    this.source = source;
  }

  fail(message: string, pos?: number): never {
    throw new GoTemplateError(pos === undefined ? message : `${message} (${lineAndColumn(this.source, pos)})`);
  }

  /** `dot` is what Go's `.` means here: output_fields, or `this` inside a `with`. */
  nodes(nodes: readonly Node[], dot: string): Segment[] {
    return nodes.flatMap((node) => this.node(node, dot));
  }

  node(node: Node, dot: string): Segment[] {
    if (node.kind === 'text') return [{ kind: 'text', text: node.text }];
    if (node.kind === 'action') return [this.action(node.pipe, dot)];
    if (node.kind === 'if') return this.ifBlock(node.pipe, node.body, node.elseBody, dot);
    return this.withBlock(node.pipe, node.body, node.elseBody, dot);
  }

  action(pipe: Pipeline, dot: string): Segment {
    const value = this.pipeline(pipe, dot);
    if (value.literal !== undefined) return { kind: 'text', text: value.literal };
    if (value.code === 'null') this.fail('nil is not a command: remove it', pipe.pos);
    return { kind: 'tag', code: `{{goout ${value.code}}}` };
  }

  ifBlock(pipe: Pipeline, body: readonly Node[], elseBody: readonly Node[], dot: string): Segment[] {
    return [
      { kind: 'tag', code: `{{#if ${this.condition(pipe, dot)}}}` },
      ...this.nodes(body, dot),
      ...this.elsePart(elseBody, dot),
      { kind: 'tag', code: '{{/if}}' },
    ];
  }

  // Handlebars' `with` decides emptiness its own way; guarding it with Go truth keeps Go's branches.
  withBlock(pipe: Pipeline, body: readonly Node[], elseBody: readonly Node[], dot: string): Segment[] {
    const value = this.pipeline(pipe, dot).code;
    return [
      { kind: 'tag', code: `{{#if ${this.condition(pipe, dot)}}}{{#with ${value}}}` },
      ...this.nodes(body, 'this'),
      { kind: 'tag', code: '{{/with}}' },
      ...this.elsePart(elseBody, dot),
      { kind: 'tag', code: '{{/if}}' },
    ];
  }

  /** Go truth of a condition; `truthy` also surfaces a failure (index out of range) carried as a value. */
  condition(pipe: Pipeline, dot: string): string {
    const value = this.pipeline(pipe, dot);
    if (value.code === 'null') this.fail('nil is not a command: remove it', pipe.pos);
    if (value.inexact !== undefined) this.unsafeInteger(value.inexact, pipe.pos);
    return `(truthy ${value.code})`;
  }

  elsePart(elseBody: readonly Node[], dot: string): Segment[] {
    return elseBody.length === 0 ? [] : [{ kind: 'tag', code: '{{else}}' }, ...this.nodes(elseBody, dot)];
  }

  /** `a | f b | g` is `g (f b a)`: each stage gets the previous result as its last argument. */
  pipeline(pipe: Pipeline, dot: string): HbExpr {
    let result: HbExpr | undefined;
    for (const command of pipe.commands) result = this.command(command, result, dot);
    return result ?? this.fail('missing value', pipe.pos);
  }

  command(command: Command, piped: HbExpr | undefined, dot: string): HbExpr {
    const [first, ...rest] = command.args;
    if (first === undefined) return this.fail('missing value for command', command.pos);
    const args = rest.map((arg) => this.operand(arg, dot));
    if (first.kind === 'func') return this.call(first.name, piped === undefined ? args : [...args, piped], first.pos);
    if (piped !== undefined) this.fail('only a function can follow |, e.g. {{ .x | lower }}', command.pos);
    if (first.kind === 'field') this.operand(first, dot); // its own refusal first (`.Time.Format "…"`)
    if (rest.length > 0) this.fail('a value cannot take arguments: put the function first, e.g. {{ eq .x "y" }}', command.pos);
    return this.operand(first, dot);
  }

  operand(expr: Expr, dot: string): HbExpr {
    switch (expr.kind) {
      case 'func':
        return this.call(expr.name, [], expr.pos);
      case 'dot':
        return { code: dot };
      case 'var':
        return expr.name === '$' ? { code: ROOT_FIELDS } : this.variable(expr.name, expr.pos);
      case 'field':
        return this.field(expr.base, expr.path, expr.pos, dot);
      case 'string':
        return this.string(expr.value);
      case 'number':
        return this.number(expr.text, expr.pos);
      case 'bool':
        return { code: String(expr.value), literal: String(expr.value) };
      case 'nil':
        return { code: 'null' };
      case 'pipe':
        return this.pipeline(expr.pipe, dot);
    }
  }

  variable(name: string, pos: number): never {
    return this.fail(`variable ${name} is not supported: only $ (the root) is; use the expression itself`, pos);
  }

  call(name: string, args: readonly HbExpr[], pos: number): HbExpr {
    const inexact = args.find((arg) => arg.inexact !== undefined)?.inexact;
    if (inexact !== undefined) this.unsafeInteger(inexact, pos);
    const arity = HELPER_ARITY[name];
    if (arity === undefined || !GO_FUNCTIONS.includes(name)) {
      this.fail(`function "${name}" is not supported; available: ${GO_FUNCTIONS.join(', ')}`, pos);
    }
    if (args.length < arity.min || args.length > arity.max) {
      const wanted = arity.max === Infinity ? `at least ${arity.min}` : arity.min === arity.max ? `${arity.min}` : `${arity.min} to ${arity.max}`;
      this.fail(`${name} takes ${wanted} argument${wanted === '1' ? '' : 's'}, got ${args.length}`, pos);
    }
    return { code: `(${[name, ...args.map((a) => a.code)].join(' ')})`, helper: name };
  }

  field(base: Expr, path: readonly string[], pos: number, dot: string): HbExpr {
    if (base.kind === 'var' && base.name !== '$') return this.variable(base.name, base.pos);
    const fromRoot = (base.kind === 'dot' && dot === ROOT_FIELDS) || base.kind === 'var';
    if (fromRoot) return this.rootField(path, pos);
    return this.chain(base.kind === 'dot' ? { code: dot } : this.operand(base, dot), path);
  }

  /** `.a.b` from `target`: nested maps as Go walks them, or the dotted Falco key "a.b" (helpers' gofield). */
  chain(target: HbExpr, path: readonly string[]): HbExpr {
    return { code: `(gofield ${[target.code, ...path.map((name) => this.string(name).code)].join(' ')})`, helper: 'gofield' };
  }

  rootField(path: readonly string[], pos: number): HbExpr {
    const [head = '', ...rest] = path;
    // falcosidekick runs message templates (slack.messageformat) on the whole alert, where the
    // fields are `.OutputFields`: `index .OutputFields "k8s.ns.name"` is the same lookup as `index . "…"`.
    if (head === 'OutputFields') return rest.length === 0 ? { code: ROOT_FIELDS } : this.chain({ code: ROOT_FIELDS }, rest);
    const alertField = ALERT_FIELDS[head];
    if (alertField === undefined) return this.chain({ code: ROOT_FIELDS }, path);
    if (rest.length > 0) {
      this.fail(
        `.${head} is the alert's ${alertField} as text here, without Go's fields or methods (.${path.join('.')}); for an output field named so use index . "${path.join('.')}"`,
        pos,
      );
    }
    return { code: `@root.${alertField}` };
  }

  string(value: string): HbExpr {
    // Handlebars string literals only unescape \" and \' (a trailing backslash would escape the
    // closing quote): text with a backslash travels percent-encoded to the `gostr` helper.
    if (value.includes('\\')) return { code: `(gostr "${encodeURIComponent(value)}")`, literal: value };
    if (!value.includes('"')) return { code: `"${value}"`, literal: value };
    if (!value.includes("'")) return { code: `'${value}'`, literal: value };
    return { code: `"${value.replaceAll('"', '\\"')}"`, literal: value };
  }

  /**
   * A number literal as Go evaluates it: text with `.`, `e` or `p` (not hex digits) is a float64,
   * printed as %v prints it (`1e6` → 1e+06, `-0.0` → -0); anything else an int, which must fit 64 bits.
   */
  number(text: string, pos: number): HbExpr {
    const clean = text.replaceAll('_', '');
    if (/i$/.test(clean)) this.fail(`complex number ${text} is not supported`, pos);
    if (isGoFloat(clean)) {
      const value = parseGoFloat(clean);
      if (!Number.isFinite(value)) this.fail(`number ${text} overflows float64`, pos);
      const literal = formatFloat(value, 'g', -1);
      const exact = Number.isInteger(value) || Object.is(value, -0) ? undefined : String(value);
      const digits = Object.is(value, -0) ? '-0' : String(value);
      return { code: exact !== undefined && HANDLEBARS_NUMBER.test(exact) ? exact : `(gonum "${digits}")`, literal };
    }
    const value = parseGoInt(clean);
    if (value === undefined || value < -(2n ** 63n) || value >= 2n ** 63n) this.fail(`number ${text} overflows int`, pos);
    if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      return { code: `(gonum "${value}")`, literal: value.toString(), inexact: text };
    }
    return { code: String(Number(value)), literal: value.toString() };
  }

  unsafeInteger(text: string, pos: number): never {
    return this.fail(`number ${text} cannot be represented exactly in a comparison; compare big integers as strings, e.g. "${text}"`, pos);
  }
}

function isGoFloat(text: string): boolean {
  const unsigned = text.replace(/^[+-]/, '');
  if (/^0[xX]/.test(unsigned)) return /[pP]/.test(unsigned);
  return /[.eE]/.test(unsigned);
}

function parseGoFloat(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const unsigned = text.replace(/^[+-]/, '');
  const hex = /^0[xX]([\da-fA-F]*)\.?([\da-fA-F]*)[pP]([+-]?\d+)$/.exec(unsigned);
  if (!hex) return sign * Number(unsigned);
  const [, whole = '', frac = '', exp = '0'] = hex;
  return sign * parseInt(`${whole}${frac}` || '0', 16) * 2 ** (Number(exp) - 4 * frac.length);
}

function parseGoInt(text: string): bigint | undefined {
  const negative = text.startsWith('-');
  const unsigned = text.replace(/^[+-]/, '');
  let value: bigint;
  try {
    if (/^0\d+$/.test(unsigned)) value = BigInt(`0o${unsigned.slice(1)}`); // Go's legacy octal
    else if (/^0[oO]/.test(unsigned)) value = BigInt(`0o${unsigned.slice(2)}`);
    else value = BigInt(unsigned);
  } catch {
    return undefined;
  }
  return negative ? -value : value;
}

/**
 * Joins segments, keeping Handlebars from reading text as syntax where text meets a tag:
 * `{` before `{{` would open a triple-stash, `}` after `}}` would close one, and a backslash
 * before `{{` escapes the tag (Handlebars wants it doubled).
 */
function joinSegments(parts: readonly Segment[]): string {
  const segments = mergeText(parts);
  return segments
    .map((segment, i) => {
      if (segment.kind === 'tag') return segment.code;
      return escapeText(segment.text, segments[i - 1]?.kind === 'tag', segments[i + 1]?.kind === 'tag');
    })
    .join('');
}

// Literals printed at top level become text too; runs of text are escaped as one so that
// `{` + `{` cannot meet across two segments.
function mergeText(parts: readonly Segment[]): Segment[] {
  const merged: Segment[] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (part.kind === 'text' && last?.kind === 'text') merged[merged.length - 1] = { kind: 'text', text: last.text + part.text };
    else merged.push(part);
  }
  return merged;
}

function escapeText(text: string, afterTag: boolean, beforeTag: boolean): string {
  let body = text.replaceAll('{{', '\\{{');
  let prefix = '';
  let suffix = '';
  if (afterTag && body.startsWith('}')) {
    prefix = '{{print "}"}}';
    body = body.slice(1);
  }
  if (beforeTag && body.endsWith('{')) {
    suffix = '{{print "{"}}';
    body = body.slice(0, -1);
  }
  if ((beforeTag || suffix !== '') && body.endsWith('\\')) body += '\\';
  return prefix + body + suffix;
}
