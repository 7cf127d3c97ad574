// Parser for Go text/template tokens into a small tree: text, output actions and if/with
// branches. Constructs Peregrine cannot translate are refused here with advice, so that the
// emitter only ever sees things it can express in Handlebars.
import { GoTemplateError, lexGoTemplate, lineAndColumn, type Token, type TokenKind } from './go-lexer.ts';

export type Expr =
  | { readonly kind: 'func'; readonly name: string; readonly pos: number }
  | { readonly kind: 'dot' }
  | { readonly kind: 'var'; readonly name: string; readonly pos: number }
  | { readonly kind: 'field'; readonly base: Expr; readonly path: readonly string[]; readonly pos: number }
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'number'; readonly text: string; readonly pos: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'nil'; readonly pos: number }
  | { readonly kind: 'pipe'; readonly pipe: Pipeline };

export interface Command {
  readonly args: readonly Expr[];
  readonly pos: number;
}

export interface Pipeline {
  readonly commands: readonly Command[];
  readonly pos: number;
}

export type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipe: Pipeline }
  | { readonly kind: 'if' | 'with'; readonly pipe: Pipeline; readonly body: readonly Node[]; readonly elseBody: readonly Node[] };

type Stop = 'else' | 'end' | 'eof';

const REFUSED_KEYWORDS: Record<string, string> = {
  range: 'range loops are not supported: use index (index .Tags 0), or write the template in Handlebars with {{#each}}',
  define: 'define/template/block are not supported: put the whole text in the one template',
  template: 'define/template/block are not supported: put the whole text in the one template',
  block: 'define/template/block are not supported: put the whole text in the one template',
  break: 'break/continue only exist inside range, which is not supported',
  continue: 'break/continue only exist inside range, which is not supported',
};

/** Parses Go template source. Throws GoTemplateError naming the position and what to change. */
export function parseGoTemplate(source: string): Node[] {
  return new Parser(source, lexGoTemplate(source)).template();
}

class Parser {
  readonly source: string;
  readonly tokens: readonly Token[];
  index = 0;

  constructor(source: string, tokens: readonly Token[]) {
    this.source = source;
    this.tokens = tokens;
  }

  fail(message: string, pos: number): never {
    throw new GoTemplateError(`${message} (${lineAndColumn(this.source, pos)})`);
  }

  peek(): Token {
    return this.tokens[this.index] as Token; // the lexer always ends with `eof`
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  skipSpace(): void {
    while (this.peek().kind === 'space') this.index++;
  }

  /** The next non-space token, consumed, which must be of `kind`. */
  expect(kind: TokenKind, context: string): Token {
    this.skipSpace();
    const token = this.next();
    if (token.kind !== kind) this.fail(`unexpected ${describe(token)} ${context}`, token.pos);
    return token;
  }

  template(): Node[] {
    const { nodes, stop, pos } = this.list();
    if (stop !== 'eof') this.fail(`unexpected {{ ${stop} }} without a matching {{ if }} or {{ with }}`, pos);
    return nodes;
  }

  /** Nodes up to `{{ else }}`, `{{ end }}` or the end of input. */
  list(): { nodes: Node[]; stop: Stop; pos: number } {
    const nodes: Node[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind === 'eof') return { nodes, stop: 'eof', pos: token.pos };
      if (token.kind === 'text') {
        nodes.push({ kind: 'text', text: token.value });
        continue;
      }
      const stop = this.action(nodes);
      if (stop !== undefined) return { nodes, stop, pos: token.pos };
    }
  }

  /** One `{{ … }}` after its open token: appended to `nodes`, or the else/end that stops a list. */
  action(nodes: Node[]): Stop | undefined {
    this.skipSpace();
    const first = this.peek();
    if (first.kind !== 'keyword') {
      const pipe = this.pipeline('close');
      if (pipe.commands.length === 0) this.fail('empty action {{ }}: missing value', first.pos);
      nodes.push({ kind: 'action', pipe });
      return undefined;
    }
    this.next();
    if (first.value === 'if' || first.value === 'with') {
      nodes.push(this.branch(first.value, first.pos));
      return undefined;
    }
    if (first.value === 'end') {
      this.expect('close', 'after end');
      return 'end';
    }
    if (first.value === 'else') return 'else'; // the branch reads what follows (`else if …`)
    return this.fail(REFUSED_KEYWORDS[first.value] ?? `${first.value} is not supported`, first.pos);
  }

  branch(kind: 'if' | 'with', pos: number): Node {
    const pipe = this.pipeline('close');
    if (pipe.commands.length === 0) this.fail(`missing condition for ${kind}`, pos);
    const body = this.list();
    if (body.stop === 'eof') this.fail(`{{ ${kind} }} is never closed: add {{ end }}`, pos);
    if (body.stop === 'end') return { kind, pipe, body: body.nodes, elseBody: [] };
    return { kind, pipe, body: body.nodes, elseBody: this.elseBranch(kind, body.pos) };
  }

  /** After `{{ else`: either a chained `else if`/`else with` (sharing the one end) or a plain else. */
  elseBranch(kind: 'if' | 'with', pos: number): Node[] {
    this.skipSpace();
    const chained = this.peek();
    if (chained.kind === 'keyword' && (chained.value === 'if' || chained.value === 'with')) {
      this.next();
      return [this.branch(chained.value, chained.pos)];
    }
    this.expect('close', 'after else');
    const rest = this.list();
    if (rest.stop === 'eof') this.fail(`{{ ${kind} }} is never closed: add {{ end }}`, pos);
    if (rest.stop === 'else') this.fail(`a second {{ else }} in one {{ ${kind} }}: use {{ else if … }} for more branches`, rest.pos);
    return rest.nodes;
  }

  /** Commands separated by `|`, up to `}}` (an action) or `)` (a parenthesised pipeline). */
  pipeline(end: 'close' | 'rparen'): Pipeline {
    this.skipSpace();
    const pos = this.peek().pos;
    this.refuseVariables();
    const commands: Command[] = [];
    for (;;) {
      this.skipSpace();
      const token = this.peek();
      if (token.kind === end) {
        this.next();
        if (commands.length === 0 && end === 'rparen') this.fail('missing value in ( )', token.pos);
        return { commands, pos };
      }
      if (token.kind === 'pipe') {
        if (commands.length === 0) this.fail('missing value before |', token.pos);
        this.next();
        this.skipSpace();
        if (this.peek().kind === end) continue; // Go accepts a trailing `|` (`{{ print | }}`)
      } else if (commands.length > 0) {
        this.fail(`unexpected ${describe(token)}`, token.pos);
      }
      commands.push(this.command(end));
    }
  }

  refuseVariables(): void {
    const token = this.peek();
    if (token.kind !== 'var') return;
    let i = this.index + 1;
    while (this.tokens[i]?.kind === 'space') i++;
    const after = this.tokens[i]?.kind;
    if (after === 'declare' || after === 'assign' || after === 'comma') {
      this.fail(`variables (${token.value} :=) are not supported: use the expression where the variable is used`, token.pos);
    }
  }

  command(end: 'close' | 'rparen'): Command {
    this.skipSpace();
    const pos = this.peek().pos;
    const args: Expr[] = [];
    for (;;) {
      this.skipSpace();
      const kind = this.peek().kind;
      if (kind === end || kind === 'pipe' || kind === 'eof') break;
      args.push(this.operand());
    }
    if (args.length === 0) this.fail('missing value for command', pos);
    return { args, pos };
  }

  /** A term and any fields written straight after it (`.a.b`, `$.a`, `(…).a`). */
  operand(): Expr {
    let expr = this.term();
    for (let token = this.peek(); token.kind === 'field'; token = this.peek()) {
      // As Go: `..a`, `"x".a`, `1.a` are syntax errors; fields follow a field, a variable or ( ).
      if (expr.kind !== 'field' && expr.kind !== 'var' && expr.kind !== 'pipe' && expr.kind !== 'func') this.fail(`unexpected . after term`, token.pos);
      this.next();
      expr =
        expr.kind === 'field'
          ? { ...expr, path: [...expr.path, token.value] }
          : { kind: 'field', base: expr, path: [token.value], pos: token.pos };
    }
    return expr;
  }

  term(): Expr {
    const token = this.next();
    switch (token.kind) {
      case 'ident':
        return { kind: 'func', name: token.value, pos: token.pos };
      case 'dot':
        return { kind: 'dot' };
      case 'field':
        return { kind: 'field', base: { kind: 'dot' }, path: [token.value], pos: token.pos };
      case 'var':
        return { kind: 'var', name: token.value, pos: token.pos };
      case 'string':
        return { kind: 'string', value: token.value, pos: token.pos };
      case 'number':
        return { kind: 'number', text: token.value, pos: token.pos };
      case 'bool':
        return { kind: 'bool', value: token.value === 'true' };
      case 'nil':
        return { kind: 'nil', pos: token.pos };
      case 'lparen':
        return { kind: 'pipe', pipe: this.pipeline('rparen') };
      default:
        return this.fail(`unexpected ${describe(token)} in operand`, token.pos);
    }
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of template';
    case 'close':
      return '}}';
    case 'keyword':
      return `keyword ${token.value}`;
    case 'field':
      return `.${token.value}`;
    case 'text':
      return 'text';
    default:
      return JSON.stringify(token.value);
  }
}
