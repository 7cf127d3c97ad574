// Enrichment: what falcosidekick's customfields, customtags, templatedfields and bracketreplacer
// do to an alert before it fans out. Built once from config; on the hot path it is one function
// call that copies only what it changes, and nothing at all when nothing is configured.
import { ConfigError } from '../errors.ts';
import type { Alert } from '../alert/alert.ts';
import { compileTemplates, templateContext, type CompiledTemplate } from './templates.ts';

export interface EnrichConfig {
  /** Added to output_fields, overwriting a Falco field of the same name; key case preserved. */
  customfields: Record<string, string>;
  /** Appended to tags, de-duplicated (existing order first, then new ones). */
  customtags: string[];
  /** key -> Handlebars or Go template; the rendered text is stored as a string in output_fields[key]. */
  templatedfields: Record<string, string>;
  /** When non-empty, output_fields keys with brackets are renamed as falcosidekick does ('' = off). */
  bracketreplacer: string;
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
 * Order: bracketreplacer, customfields, templatedfields (they see customfields), customtags.
 */
export function buildEnricher(config: EnrichConfig, options: EnrichOptions = {}): Enricher {
  const { compiled, problems } = compileTemplates(config.templatedfields);
  if (problems.length > 0) throw new ConfigError(problems);
  const customFields = Object.entries(config.customfields);
  const customTags = config.customtags;
  const replacer = config.bracketreplacer;
  if (customFields.length === 0 && customTags.length === 0 && compiled.length === 0 && replacer === '') return identity;

  const changesFields = customFields.length > 0 || compiled.length > 0 || replacer !== '';
  const onError = options.onTemplateError;
  return (alert) => {
    let fields = alert.output_fields;
    if (changesFields) {
      const copy = replacer === '' ? { ...fields } : replaceBrackets(fields, replacer);
      for (const [key, value] of customFields) copy[key] = value;
      if (compiled.length > 0) Object.assign(copy, renderAll(compiled, alert, copy, onError));
      fields = copy;
    }
    const tags = customTags.length === 0 ? alert.tags : mergeTags(alert.tags, customTags);
    return { ...alert, output_fields: fields, tags };
  };
}

/** falcosidekick's rule: `]` is dropped and `[` becomes the replacer, so `proc.aname[2]` → `proc.aname_2`. */
function replaceBrackets(fields: Readonly<Record<string, unknown>>, replacer: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key.includes('[') ? key.replaceAll(']', '').replaceAll('[', replacer) : key] = value;
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
  const rendered: Record<string, string> = {};
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
  return [...new Set([...existing, ...added])];
}
