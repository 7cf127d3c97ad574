// templatedfields: every template is checked and compiled at load (a bad one stops startup,
// naming its key); rendering happens per alert against a plain view of it.
import { copyFields } from '../alert/fields.ts';
import type { ConfigProblem } from '../errors.ts';
import type { Alert } from '../alert/alert.ts';
import { plainValue } from '../alert/json.ts';
import { GoTemplateError, isGoTemplate, translateGoTemplate } from './go-template.ts';
import { goView } from './go-values.ts';
import { createTemplateEnvironment, KNOWN_HELPERS } from './helpers.ts';
import { unsupportedConstruct } from './template-ast.ts';

/** What a template sees. Big integers are their digit strings, so they print exactly. */
export interface TemplateContext {
  readonly uuid: string;
  readonly rule: string;
  readonly priority: string;
  readonly source: string;
  readonly hostname: string | undefined;
  readonly tags: readonly string[];
  readonly time: string;
  readonly output: string;
  readonly output_fields: Readonly<Record<string, unknown>>;
}

export interface CompiledTemplate {
  readonly key: string;
  /** Throws whatever a helper throws; the enricher decides what a failed field becomes. */
  readonly render: (context: TemplateContext) => string;
}

type CompileResult = { ok: true; template: CompiledTemplate } | { ok: false; problem: ConfigProblem };

let templateEnv: ReturnType<typeof createTemplateEnvironment> | undefined;

/** Compiles each template; problems are collected rather than thrown so every bad key is reported at once. */
export function compileTemplates(templates: Readonly<Record<string, string>>): { compiled: CompiledTemplate[]; problems: ConfigProblem[] } {
  const compiled: CompiledTemplate[] = [];
  const problems: ConfigProblem[] = [];
  for (const [key, source] of Object.entries(templates)) {
    const result = compileOne(key, source);
    if (result.ok) compiled.push(result.template);
    else problems.push(result.problem);
  }
  return { compiled, problems };
}

function compileOne(key: string, source: string): CompileResult {
  const path = `templatedfields.${key}`;
  if (typeof source !== 'string') return { ok: false, problem: { path, message: 'must be a template string' } };
  const result = compileTemplateSource(source);
  return result.ok ? { ok: true, template: { key, render: result.render } } : { ok: false, problem: { path, message: result.message } };
}

/**
 * One template, Go or Handlebars, checked and compiled now; the message says what is wrong without
 * the key (callers that are not templatedfields, e.g. slack.messageformat, put their own path on it).
 */
export function compileTemplateSource(source: string): { ok: true; render: (context: TemplateContext) => string } | { ok: false; message: string } {
  const go = isGoTemplate(source);
  let handlebarsSource: string;
  try {
    handlebarsSource = go ? translateGoTemplate(source) : source;
  } catch (error) {
    if (!(error instanceof GoTemplateError)) throw error;
    return { ok: false, message: `Go template cannot be used: ${error.message}` };
  }
  try {
    return { ok: true, render: compileHandlebars(handlebarsSource, go) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const kind = go ? `Go template (translated to ${JSON.stringify(handlebarsSource)})` : 'Handlebars template';
    return { ok: false, message: `${kind} does not compile: ${oneLine(detail)}` };
  }
}

function compileHandlebars(source: string, fromGo: boolean): (context: TemplateContext) => string {
  const options: CompileOptions = {
    noEscape: true,
    strict: false,
    knownHelpers: KNOWN_HELPERS,
    knownHelpersOnly: true,
    // Go keeps every newline around {{ if }}; Handlebars would drop "standalone" lines.
    ignoreStandalone: fromGo,
  };
  // compile() is lazy: precompile now so that syntax errors and unknown helpers fail at load.
  const env = (templateEnv ??= createTemplateEnvironment());
  env.precompile(source, options);
  const unsupported = unsupportedConstruct(env.parse(source));
  if (unsupported) throw new Error(unsupported);
  const template = env.compile<TemplateContext>(source, options);
  // A Go template sees the alert as falcosidekick's Go decoded it (numbers as json.Number).
  return fromGo ? (context) => template(goView(context, rawFields.get(context))) : (context) => template(context);
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' | ');
}

// The fields each context was made from: a Go template's view needs big integers as numbers
// (json.Number), which the context itself holds as digit strings.
const rawFields = new WeakMap<TemplateContext, Readonly<Record<string, unknown>>>();

/** The alert as templates see it, with `fields` as its output_fields (copied only when they hold big integers). */
export function templateContext(alert: Alert, fields: Readonly<Record<string, unknown>>): TemplateContext {
  const context: TemplateContext = {
    uuid: alert.uuid,
    rule: alert.rule,
    priority: alert.priority,
    source: alert.source,
    hostname: alert.hostname,
    tags: alert.tags,
    time: alert.time,
    output: alert.output,
    output_fields: plainFields(fields),
  };
  rawFields.set(context, fields);
  return context;
}

function plainFields(fields: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    const plain = value !== null && typeof value === 'object' && !JSON.isRawJSON(value) ? plainNested(value) : plainValue(value);
    if (plain !== value) (copy ??= copyFields(fields))[key] = plain;
  }
  return copy ?? fields;
}

/** A list or map inside a field, with its big integers as their digits at any depth (copied only when it holds one). */
function plainNested(value: object): unknown {
  if (JSON.isRawJSON(value)) return value.rawJSON;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => (item !== null && typeof item === 'object' ? plainNested(item) : item));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  return plainFields(value as Record<string, unknown>);
}
