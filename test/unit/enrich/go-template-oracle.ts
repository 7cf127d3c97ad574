// Renders a case of the Go-template corpus (test/fixtures/go-templates/cases.json) the way the
// daemon does: "field" through the enricher (templatedfields), "message" through
// compileTemplateSource and templateContext (a chat output's messageformat, as Slack calls them).
import { buildEnricher } from '../../../src/enrich/enrich.ts';
import { compileTemplateSource, templateContext } from '../../../src/enrich/templates.ts';
import { freezeAlert, toAlert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { ConfigError } from '../../../src/errors.ts';

/** What a template gave: the text, and "parse" (refused when loaded) or "exec" (failed on this alert). */
export interface Result {
  readonly output: string;
  readonly error?: 'parse' | 'exec';
  readonly message?: string;
}

export interface Case {
  readonly id: string;
  readonly mode: 'field' | 'message';
  readonly template: string;
  readonly alert: string;
  /** Set when Peregrine differs on purpose; `peregrine` then records what it gives. */
  readonly note?: string;
  readonly go: Result;
  peregrine?: Result;
}

export interface Corpus {
  readonly alerts: Readonly<Record<string, string>>;
  readonly cases: Case[];
}

export function renderCase(corpus: Corpus, c: Case): Result {
  const alert = freezeAlert(toAlert(parseJson(corpus.alerts[c.alert] as string) as AlertInput, () => 'fixed-uuid'));
  if (c.mode === 'field') {
    let failure: unknown;
    let enricher: ReturnType<typeof buildEnricher>;
    try {
      enricher = buildEnricher(
        { customfields: {}, customtags: [], bracketreplacer: '', templatedfields: { out: c.template } },
        { onTemplateError: (_key, error) => (failure = error) },
      );
    } catch (error) {
      if (error instanceof ConfigError) return { output: '', error: 'parse', message: error.problems[0]?.message ?? '' };
      throw error;
    }
    const output = enricher(alert).output_fields['out'] as string;
    return failure === undefined ? { output } : { output, error: 'exec', message: String(failure) };
  }
  const compiled = compileTemplateSource(c.template);
  if (!compiled.ok) return { output: '', error: 'parse', message: compiled.message };
  try {
    return { output: compiled.render(templateContext(alert, alert.output_fields)) };
  } catch (error) {
    // As the chat outputs do: a template that fails on an alert sends the message without text.
    return { output: '', error: 'exec', message: String(error) };
  }
}

/**
 * Peregrine matches Go when it prints the same text and fails the same way. On a failed render
 * Peregrine stores "" where falcosidekick keeps what came before the error; that, and every other
 * documented difference, is a case with a note, held to its recorded Peregrine result instead.
 */
export function sameResult(peregrine: Result, expected: Result): boolean {
  return peregrine.output === expected.output && (peregrine.error ?? '') === (expected.error ?? '');
}
