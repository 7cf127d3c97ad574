// Enrichment: what falcosidekick's customfields, customtags, templatedfields and bracketreplacer
// do to an alert before it fans out. Built once from config; on the hot path it is one function
// call that copies only what it changes, and nothing at all when nothing is configured.
import { ConfigError } from '../errors.ts';
import type { Alert } from '../alert/alert.ts';
import { bracketName, copyFields, newFields } from '../alert/fields.ts';
import { compileTemplates, templateContext, type CompiledTemplate } from './templates.ts';

export interface EnrichConfig {
  /** Added to output_fields, overwriting a Falco field of the same name; key case preserved. */
  customfields: Record<string, string>;
  /** Appended to tags, de-duplicated, then the tags are sorted (falcosidekick sorts them). */
  customtags: string[];
  /** key -> Handlebars or Go template; the rendered text is stored as a string in output_fields[key]. */
  templatedfields: Record<string, string>;
  /** When non-empty, output_fields keys with brackets are renamed as falcosidekick does ('' = off). */
  bracketreplacer: string;
  /** falcosidekick's outputFieldFormat: rewrites `output` ('' or absent = off). */
  outputfieldformat?: string;
}

export type Enricher = (alert: Alert) => Alert;

export interface EnrichOptions {
  /**
   * Called once per template that fails to render for an alert (a helper error such as `len`
   * of a missing field). The field is then stored as ''. Wire it to a counter and a debug log;
   * if it throws, the error is swallowed so that enrichment never loses an alert.
   */
  onTemplateError?: (key: string, error: unknown) => void;
}

const identity: Enricher = (alert) => alert;

/**
 * Compiles the config into an enricher. Throws ConfigError listing every bad template as
 * `templatedfields.<key>`. The enricher returns a new alert and never mutates its input.
 * Order, as in falcosidekick: customfields, customtags, templatedfields (they see customfields and
 * the original bracketed keys), bracketreplacer (it renames their keys too), outputfieldformat.
 */
export function buildEnricher(config: EnrichConfig, options: EnrichOptions = {}): Enricher {
  const { compiled, problems } = compileTemplates(config.templatedfields);
  if (problems.length > 0) throw new ConfigError(problems);
  const customFields = Object.entries(config.customfields);
  const customTags = config.customtags;
  const replacer = config.bracketreplacer;
  const format = config.outputfieldformat ?? '';
  if (customFields.length === 0 && customTags.length === 0 && compiled.length === 0 && replacer === '' && format === '') return identity;

  const changesFields = customFields.length > 0 || compiled.length > 0 || replacer !== '';
  const onError = options.onTemplateError;
  const customText = customFields.map(([k, v]) => `${k}=${v}`).join(' ');
  return (alert) => {
    let fields = alert.output_fields;
    let rendered: Record<string, string> = newFields();
    const tags = customTags.length === 0 ? alert.tags : mergeTags(alert.tags, customTags);
    if (changesFields) {
      let copy: Record<string, unknown> = copyFields(fields);
      for (const [key, value] of customFields) copy[key] = value;
      if (compiled.length > 0) {
        rendered = renderAll(compiled, { ...alert, tags }, copy, onError);
        Object.assign(copy, rendered);
      }
      if (replacer !== '') copy = replaceBrackets(copy, replacer);
      fields = copy;
    }
    const output = format === '' ? alert.output : formatOutput(format, alert, customText, rendered, tags);
    return { ...alert, output, output_fields: fields, tags };
  };
}

// falcosidekick rewrites only an output that looks like Falco's "<time>: <Priority> <text>".
const FALCO_OUTPUT = /[0-9:]+\.[0-9]+: (Debug|Informational|Notice|Warning|Error|Critical|Alert|Emergency) .*/i;

/** falcosidekick's outputFieldFormat placeholders: <timestamp> <priority> <output> <custom_fields> <templated_fields> <tags>. */
function formatOutput(format: string, alert: Alert, customText: string, rendered: Record<string, string>, tags: readonly string[]): string {
  if (!FALCO_OUTPUT.test(alert.output)) return alert.output;
  const words = alert.output.split(' ');
  if (words.length < 3) return alert.output;
  let text = format
    .replaceAll('<timestamp>', (words[0] as string).replace(/:$/, ''))
    .replaceAll('<priority>', alert.priority)
    .replaceAll('<output>', words.slice(2).join(' '))
    .replaceAll('<custom_fields>', customText)
    .replaceAll('<templated_fields>', Object.entries(rendered).map(([k, v]) => `${k}=${v}`).join(' '))
    .replaceAll('<tags>', tags.join(','));
  // falcosidekick trims what empty placeholders leave at the end: " ", "( )", "()".
  for (const suffix of [' ', '( )', '()', ' ']) if (text.endsWith(suffix)) text = text.slice(0, -suffix.length);
  return text;
}

/** falcosidekick's rule: `]` is dropped and `[` becomes the replacer, so `proc.aname[2]` → `proc.aname_2`. */
function replaceBrackets(fields: Readonly<Record<string, unknown>>, replacer: string): Record<string, unknown> {
  const out = newFields();
  for (const [key, value] of Object.entries(fields)) {
    out[bracketName(key, replacer)] = value;
  }
  return out;
}

// Every template renders against the same view, so one templated field never depends on the
// order in which another was configured.
function renderAll(
  templates: readonly CompiledTemplate[],
  alert: Alert,
  fields: Readonly<Record<string, unknown>>,
  onError: EnrichOptions['onTemplateError'],
): Record<string, string> {
  const context = templateContext(alert, fields);
  const rendered = newFields<string>();
  for (const template of templates) {
    try {
      rendered[template.key] = template.render(context);
    } catch (error) {
      rendered[template.key] = '';
      report(onError, template.key, error);
    }
  }
  return rendered;
}

function report(onError: EnrichOptions['onTemplateError'], key: string, error: unknown): void {
  try {
    onError?.(key, error);
  } catch {
    // A broken metrics callback must not cost the alert.
  }
}

function mergeTags(existing: readonly string[], added: readonly string[]): string[] {
  return [...new Set([...existing, ...added])].sort();
}
