// Go text/template → Handlebars, once at load. falcosidekick users' values files carry Go
// templates; rather than run two template engines we translate the subset they use into
// Handlebars with Go's meaning kept: `.` is output_fields (as in falcosidekick), `.Priority` and
// friends are alert fields, conditions use Go truth (0 and "" are false), text is copied verbatim.
import { GoTemplateError, lexGoTemplate, lineAndColumn, type Token } from './go-lexer.ts';
import { parseGoTemplate, type Command, type Expr, type Node, type Pipeline } from './go-parser.ts';
import { HELPER_ARITY } from './helpers.ts';

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
const BOOLEAN_HELPERS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'not', 'truthy']);
const GO_FUNCTIONS = ['index', ...Object.keys(HELPER_ARITY).filter((name) => name !== 'truthy' && name !== 'goout')];

const LITERALS = new Set<Token['kind']>(['string', 'number', 'bool', 'nil']);
const HANDLEBARS_ONLY = /\{\{~|~\}\}|\{\{\{|\{\{\s*(?:[#^>&!]|\/(?!\*))/;
const GO_COMMENT = /\{\{-?\s*\/\*/;
const GO_HINT = /\{\{-\s|\s-\}\}|\{\{-?\s*(?:if|end|else\s+if|range|with)\b|(?:^|[\s(|])\.(?:[\p{L}_]|\s|\}\})|\bindex\s+\.\s|\{\{[^}]*\$/u;

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
  return tokens.some((token, i) => isGoOnly(token, tokens[i - 1]) || (token.kind === 'string' && source[token.pos] === '`')) || printsLiteral(tokens);
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
      { kind: 'tag', code: `{{#if ${condition(this.pipeline(pipe, dot))}}}` },
      ...this.nodes(body, dot),
      ...this.elsePart(elseBody, dot),
      { kind: 'tag', code: '{{/if}}' },
    ];
  }

  // Handlebars' `with` decides emptiness its own way; guarding it with Go truth keeps Go's branches.
  withBlock(pipe: Pipeline, body: readonly Node[], elseBody: readonly Node[], dot: string): Segment[] {
    const value = this.pipeline(pipe, dot).code;
    return [
      { kind: 'tag', code: `{{#if (truthy ${value})}}{{#with ${value}}}` },
      ...this.nodes(body, 'this'),
      { kind: 'tag', code: '{{/with}}' },
      ...this.elsePart(elseBody, dot),
      { kind: 'tag', code: '{{/if}}' },
    ];
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
        return this.string(expr.value, expr.pos);
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
    if (name === 'index') return this.index(args, pos);
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

  /** `index x k1 k2` is x[k1][k2]; with `.` as x it is an output field, dots in the key and all. */
  index(args: readonly HbExpr[], pos: number): HbExpr {
    const [base, ...keys] = args;
    if (base === undefined) return this.fail('index needs something to index, e.g. index . "k8s.ns.name"', pos);
    return keys.reduce<HbExpr>((acc, key) => ({ code: `(lookup ${acc.code} ${key.code})`, helper: 'lookup' }), base);
  }

  field(base: Expr, path: readonly string[], pos: number, dot: string): HbExpr {
    if (base.kind === 'var' && base.name !== '$') return this.variable(base.name, base.pos);
    const fromRoot = (base.kind === 'dot' && dot === ROOT_FIELDS) || base.kind === 'var';
    if (fromRoot) return this.rootField(path, pos);
    // Falco keys contain dots, so `.k8s.ns.name` means the key "k8s.ns.name", not three nested maps.
    if (base.kind === 'dot') return this.lookup({ code: dot }, path.join('.'), pos);
    return path.reduce((acc, name) => this.lookup(acc, name, pos), this.operand(base, dot));
  }

  rootField(path: readonly string[], pos: number): HbExpr {
    const [head = '', ...rest] = path;
    // falcosidekick runs message templates (slack.messageformat) on the whole alert, where the
    // fields are `.OutputFields`: `index .OutputFields "k8s.ns.name"` is the same lookup as `index . "…"`.
    if (head === 'OutputFields') return rest.length === 0 ? { code: ROOT_FIELDS } : this.lookup({ code: ROOT_FIELDS }, rest.join('.'), pos);
    const alertField = ALERT_FIELDS[head];
    if (alertField === undefined) return this.lookup({ code: ROOT_FIELDS }, path.join('.'), pos);
    if (rest.length > 0) this.fail(`.${head} has no fields; for an output field use index . "${path.join('.')}"`, pos);
    return { code: `@root.${alertField}` };
  }

  lookup(target: HbExpr, key: string, pos: number): HbExpr {
    return { code: `(lookup ${target.code} ${this.string(key, pos).code})`, helper: 'lookup' };
  }

  string(value: string, pos: number): HbExpr {
    // Handlebars string literals only unescape \" and \', so a trailing backslash cannot be written.
    if (value.endsWith('\\')) this.fail('a string ending in a backslash cannot be translated: write the template in Handlebars', pos);
    if (!value.includes('"')) return { code: `"${value}"`, literal: value };
    if (!value.includes("'")) return { code: `'${value}'`, literal: value };
    return { code: `"${value.replaceAll('"', '\\"')}"`, literal: value };
  }

  number(text: string, pos: number): HbExpr {
    const value = parseGoNumber(text);
    const code = String(value);
    if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)) || !/^-?\d+(?:\.\d+)?$/.test(code)) {
      this.fail(`number ${text} cannot be represented exactly; compare big integers as strings, e.g. "${text}"`, pos);
    }
    return { code, literal: code };
  }
}

function parseGoNumber(text: string): number {
  const clean = text.replaceAll('_', '');
  const sign = clean.startsWith('-') ? -1 : 1;
  const unsigned = clean.replace(/^[+-]/, '');
  if (/^0\d+$/.test(unsigned)) return sign * parseInt(unsigned, 8); // Go's legacy octal
  if (/^0[xXoObB]/.test(unsigned)) return sign * Number(unsigned);
  if (/^[\d.]+(?:[eE][+-]?\d+)?$/.test(unsigned)) return sign * Number(unsigned);
  return NaN; // hex floats and the like
}

function condition(value: HbExpr): string {
  return value.helper !== undefined && BOOLEAN_HELPERS.has(value.helper) ? value.code : `(truthy ${value.code})`;
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
