// Handlebars features a values file must not use: partials ({{> name}}) load other templates by
// name — none are registered, so they would fail at render time for every alert, after the config
// was accepted — and decorators ({{* name}}) run code at render time. Found in the parsed template.

const UNSUPPORTED: Record<string, string> = {
  PartialStatement: 'partials ({{> name}}) are not supported: write the text in the template itself',
  PartialBlockStatement: 'partial blocks ({{#> name}}) are not supported: write the text in the template itself',
  Decorator: 'decorators ({{* name}}) are not supported',
  DecoratorBlock: 'decorator blocks ({{#* name}}) are not supported',
};

/** The first unsupported construct in the template's AST, as a message with its line, or undefined. */
export function unsupportedConstruct(program: unknown): string | undefined {
  const stack: unknown[] = [program];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const { type, loc } = node as { type?: string; loc?: { start: { line: number; column: number } } };
    if (type !== undefined && UNSUPPORTED[type]) return `${UNSUPPORTED[type]}${loc ? ` (line ${loc.start.line}, column ${loc.start.column + 1})` : ''}`;
    for (const [key, value] of Object.entries(node)) if (key !== 'loc' && value && typeof value === 'object') stack.push(value);
  }
  return undefined;
}
