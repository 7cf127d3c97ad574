import { describe, it, expect } from 'vitest';
import { buildEnricher } from '../../../src/enrich/enrich.ts';
import { GoTemplateError, isGoTemplate, translateGoTemplate } from '../../../src/enrich/go-template.ts';
import { ConfigError } from '../../../src/errors.ts';
import type { AlertInput } from '../../../src/alert/alert.ts';
import { k8sAlert } from './alerts.ts';

const SEVERITY = '{{ if eq .Priority "Critical" }}10{{ else if eq .Priority "Warning" }}5{{ else }}1{{ end }}';
const TEAM = '{{ or (index . "k8s.ns.labels.team") "none" }}';

/** Renders one template through the public enricher against the fixture alert. */
function render(template: string, changes: Partial<AlertInput> = {}, fields: Record<string, unknown> = {}): unknown {
  const enricher = buildEnricher({ customfields: {}, customtags: [], bracketreplacer: '', templatedfields: { out: template } });
  return enricher(k8sAlert(changes, fields)).output_fields['out'];
}

function refusal(template: string): string {
  try {
    buildEnricher({ customfields: {}, customtags: [], bracketreplacer: '', templatedfields: { f: template } });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const [problem] = (error as ConfigError).problems;
    expect(problem?.path).toBe('templatedfields.f');
    return problem?.message ?? '';
  }
  throw new Error(`expected ${template} to be refused`);
}

describe('isGoTemplate', () => {
  it.each([
    SEVERITY,
    TEAM,
    '{{ .Rule }}',
    '{{.}}',
    '{{ index . "k8s.ns.name" }}',
    '{{ rule | lower }}',
    '{{- rule }}',
    '{{ rule -}}',
    '{{ $.Rule }}',
    '{{/* a comment */}}x',
    '{{ else }}',
    '{{ "literal" }}',
    '{{ 42 }}',
    '{{ lower `raw` }}',
    '{{ if eq .Priority "Critical }}', // broken, but clearly Go: report the Go error
  ])('recognises Go syntax in %s', (source) => {
    expect(isGoTemplate(source)).toBe(true);
  });

  it.each([
    '{{rule}}',
    '{{or a "x"}}',
    '{{lookup output_fields "k8s.ns.name"}}',
    '{{output_fields.user}}',
    '{{#if (eq priority "Critical")}}10{{else}}1{{/if}}',
    '{{~rule~}}',
    '{{{rule}}}',
    '{{@root.rule}}',
    '{{output_fields.[proc.aname[2]]}}',
    'no actions at all',
  ])('leaves %s to Handlebars', (source) => {
    expect(isGoTemplate(source)).toBe(false);
  });
});

describe('the two falcosidekick examples', () => {
  it.each([
    ['Critical', '10'],
    ['Warning', '5'],
    ['Notice', '1'],
    ['Debug', '1'],
  ])('severity score for %s is %s', (priority, score) => {
    expect(render(SEVERITY, { priority })).toBe(score);
  });

  it('team label: present, absent, empty', () => {
    expect(render(TEAM)).toBe('checkout');
    expect(render(TEAM, {}, { 'k8s.ns.labels.team': undefined })).toBe('none');
    expect(render(TEAM, {}, { 'k8s.ns.labels.team': '' })).toBe('none');
    expect(render(TEAM, {}, { 'k8s.ns.labels.team': null })).toBe('none');
  });

  it('translate to readable Handlebars', () => {
    expect(translateGoTemplate(SEVERITY)).toBe(
      '{{#if (truthy (eq @root.priority "Critical"))}}10{{else}}{{#if (truthy (eq @root.priority "Warning"))}}5{{else}}1{{/if}}{{/if}}',
    );
    expect(translateGoTemplate(TEAM)).toBe('{{goout (or (index @root.output_fields "k8s.ns.labels.team") "none")}}');
  });
});

describe('Go template translation', () => {
  it('maps the alert fields case-sensitively and everything else to output_fields', () => {
    expect(render('{{ .Rule }}|{{ .Source }}|{{ .Hostname }}|{{ .UUID }}|{{ .Time }}')).toBe(
      'Terminal shell in container|syscall|node-1|fixed-uuid|2026-11-20T10:21:36.167531875Z',
    );
    expect(render('{{ .Output }}')).toBe('10:21:36.167531875: Warning Shell spawned in a container (user=root)');
    expect(render('{{ .priority }}')).toBe('<no value>'); // not the alert field: an output field named "priority"
    expect(render('{{ .priority }}', {}, { priority: 'from-fields' })).toBe('from-fields');
    expect(render('{{ .environment }}')).toBe('from-falco');
  });

  it('prints a missing or null field as Go does: <no value>', () => {
    expect(render('{{ index . "k8s.deployment.name" }}')).toBe('<no value>');
    expect(render('team={{ .k8s.ns.labels.nope }}')).toBe('team=<no value>');
    expect(render('{{ index . "fd.name" }}')).toBe('<no value>'); // JSON null is Go's nil
    expect(render('{{ or .a .b }}')).toBe('<no value>');
    expect(render('{{ index . "k8s.ns.labels.owner" }}')).toBe(''); // present and empty
  });

  it('reads dotted Falco keys with index, a field chain or $', () => {
    expect(render('{{ index . "k8s.ns.name" }}')).toBe('payments');
    expect(render('{{ .k8s.ns.name }}')).toBe('payments');
    expect(render('{{ $.k8s.pod.name }}')).toBe('web-7d9');
    expect(render('{{ index $ "proc.aname[2]" }}')).toBe('containerd-shim');
    expect(render('{{ index .Tags 1 }}')).toBe('container');
  });

  it('reads .OutputFields as the fields, as falcosidekick message templates (slack.messageformat) write them', () => {
    expect(render('{{ index .OutputFields "k8s.ns.name" }}')).toBe('payments');
    expect(render('{{ .OutputFields.k8s.pod.name }}')).toBe('web-7d9');
    expect(render('{{ with .OutputFields }}{{ index . "k8s.ns.name" }}{{ end }}')).toBe('payments');
  });

  it('prints big integers as their digits and compares them exactly', () => {
    expect(render('{{ index . "evt.time" }}')).toBe('1700000000167531875');
    expect(render('{{ if gt (index . "evt.time") 0 }}after epoch{{ end }}')).toBe('after epoch');
    // falcosidekick decodes numbers as json.Number, a string type: %v prints them, %d does not.
    expect(render('{{ printf "%v" (index . "evt.time") }}')).toBe('1700000000167531875');
    expect(render('{{ printf "%d" (index . "evt.time") }}')).toBe('%!d(json.Number=1700000000167531875)');
  });

  it('prints big integers inside a list or a map as their digits too', () => {
    const big = JSON.rawJSON('12345678901234567890');
    const fields = { arr: [big, 1], obj: { n: JSON.rawJSON('12345678901234567891'), deeper: [{ m: big }] } };
    expect(render('{{ index . "arr" }}', {}, fields)).toBe('[12345678901234567890 1]');
    expect(render('{{ index . "obj" }}', {}, fields)).toBe('map[deeper:[map[m:12345678901234567890]] n:12345678901234567891]');
  });

  it('turns pipelines into nested calls, the value going last', () => {
    expect(translateGoTemplate('{{ .Rule | lower | printf "%s!" }}')).toBe('{{goout (printf "%s!" (lower @root.rule))}}');
    expect(render('{{ .Rule | upper }}')).toBe('TERMINAL SHELL IN CONTAINER');
    expect(render('{{ index . "k8s.ns.labels.owner" | default "nobody" }}')).toBe('nobody');
    expect(render('{{ (index . "user.name" | printf "user=%s") | upper }}')).toBe('USER=ROOT');
    expect(render('{{ .Tags | len }}')).toBe('4');
  });

  it('supports ne, and, or, not and comparisons', () => {
    expect(render('{{ if ne .Priority "Debug" }}alert{{ end }}')).toBe('alert');
    expect(render('{{ if and (eq .Priority "Warning") (eq .k8s.ns.name "payments") }}page{{ else }}log{{ end }}')).toBe('page');
    expect(render('{{ if and (eq .Priority "Warning") (eq .k8s.ns.name "default") }}page{{ else }}log{{ end }}')).toBe('log');
    expect(render('{{ if not (index . "fd.name") }}no fd{{ end }}')).toBe('no fd');
    expect(render('{{ if or .missing (index . "k8s.ns.labels.owner") }}y{{ else }}n{{ end }}')).toBe('n');
    expect(render('{{ if eq .Priority "Error" "Warning" "Critical" }}hot{{ end }}')).toBe('hot');
    expect(render('{{ if ge (index . "proc.pid") 4242 }}{{ if lt (index . "proc.pid") 5000 }}in range{{ end }}{{ end }}')).toBe('in range');
    expect(render('{{ and .Rule .Source }}')).toBe('syscall');
  });

  it('uses Go truth in conditions: 0, "", nil and empty lists are false', () => {
    expect(render('{{ if 0 }}t{{ else }}f{{ end }}')).toBe('f');
    expect(render('{{ if .n }}t{{ else }}f{{ end }}', {}, { n: '' })).toBe('f');
    // A number in output_fields is a json.Number in falcosidekick: text, so even 0 is true.
    expect(render('{{ if .n }}t{{ else }}f{{ end }}', {}, { n: 0 })).toBe('t');
    expect(render('{{ if .n }}t{{ else }}f{{ end }}', {}, { n: 7 })).toBe('t');
    expect(render('{{ if .Tags }}t{{ else }}f{{ end }}', { tags: [] })).toBe('f');
    expect(render('{{ if .Tags }}t{{ else }}f{{ end }}')).toBe('t');
  });

  it('applies trim markers like Go and otherwise keeps every newline', () => {
    expect(render('a  {{- .k8s.ns.name -}}  \n b')).toBe('apaymentsb');
    expect(render('{{ if eq .Priority "Warning" }}\n  five\n{{ end }}\n')).toBe('\n  five\n\n');
    expect(render('{{- if eq .Priority "Warning" -}}\n  five\n{{- end -}}\n')).toBe('five');
    expect(render('{{ 3 }} {{-3}}')).toBe('3 -3'); // `{{-3}}` is the number -3, not a trim marker
    expect(render('x {{- /* note */ -}} y')).toBe('xy');
  });

  it('rebinds . inside with and keeps $ as the root', () => {
    const template = '{{ with index . "k8s.ns.name" }}ns={{ . }} rule={{ $.Rule }}{{ else }}no namespace{{ end }}';
    expect(render(template)).toBe('ns=payments rule=Terminal shell in container');
    expect(render(template, {}, { 'k8s.ns.name': '' })).toBe('no namespace');
    expect(render('{{ with .n }}{{ . }}{{ else }}zero{{ end }}', {}, { n: 0 })).toBe('0'); // json.Number "0" is true
    expect(render('{{ with .n }}{{ . }}{{ else }}zero{{ end }}', {}, { n: false })).toBe('zero');
    expect(render('{{ if eq .Priority "Debug" }}d{{ else with .Hostname }}{{ . }}{{ end }}')).toBe('node-1');
  });

  it('translates literals: strings with escapes, raw strings, numbers, booleans, characters', () => {
    expect(render('{{ "tab\\there" }}|{{ `raw\\n` }}|{{ 0x1F }}|{{ 1_000 }}|{{ 2.50 }}|{{ true }}|{{ \'A\' }}')).toBe('tab\there|raw\\n|31|1000|2.5|true|65');
    expect(render('{{ printf "%q" "say \\"hi\\" it\'s" }}')).toBe('"say \\"hi\\" it\'s"');
  });

  it('keeps text verbatim where it meets an action', () => {
    expect(render('{ {{- .Rule -}} }')).toBe('{Terminal shell in container}');
    expect(render('C:\\{{ .k8s.ns.name }}\\\\{{ .k8s.pod.name }}')).toBe('C:\\payments\\\\web-7d9');
    expect(render('100% {{ "{{" }} }}')).toBe('100% {{ }}');
  });

  it('supports printf verbs %s %d %v %q', () => {
    expect(render('{{ printf "%s has %d tags: %v %q %%" .Rule (len .Tags) .Tags .Priority }}')).toBe(
      'Terminal shell in container has 4 tags: [T1059 container mitre_execution shell] "Warning" %',
    );
  });
});

describe('Go templates that cannot be translated', () => {
  it.each([
    ['{{ range .Tags }}{{ . }}{{ end }}', 'range loops are not supported'],
    ['{{ $x := .Rule }}{{ $x }}', 'variables ($x :=) are not supported'],
    ['{{ eq $x 1 }}', 'variable $x is not supported'],
    ['{{ template "t" . }}', 'define/template/block are not supported'],
    ['{{ call .Rule }}', 'function "call" is not supported; available: eq, ne'],
    ['{{ if eq .Priority }}x{{ end }}', 'eq takes at least 2 arguments, got 1'],
    ['{{ not .a .b }}', 'not takes 1 argument, got 2'],
    ['{{ if .Rule }}x', '{{ if }} is never closed: add {{ end }}'],
    ['x{{ end }}', 'unexpected {{ end }} without a matching'],
    ['{{ if .a }}1{{ else }}2{{ else }}3{{ end }}', 'a second {{ else }}'],
    ['{{ .Rule "x" }}', 'a value cannot take arguments'],
    ['{{ .Rule | .Source }}', 'only a function can follow |'],
    ['{{ .Priority.Name }}', ".Priority is the alert's priority as text here, without Go's fields or methods"],
    ['{{ 12345678901234567890 }}', 'number 12345678901234567890 overflows int'],
    ['{{ eq .x 9007199254740993 }}', 'cannot be represented exactly in a comparison'],
    ['{{ nil }}', 'nil is not a command'],
    ['{{ if eq .Priority "Critical }}1{{ end }}', 'unterminated quoted string (line 1, column 20)'],
    ['{{ .Rule }}{{ }}', 'missing value'],
    ['{{ .Rule ', 'unclosed action'],
    ['{{ .Rule }}{{ "x\\q" }}', 'unknown escape sequence \\q'],
  ])('%s is refused', (template, message) => {
    const text = refusal(template);
    expect(text).toContain('Go template cannot be used');
    expect(text).toContain(message);
  });

  it('throws GoTemplateError from the translator itself', () => {
    expect(() => translateGoTemplate('{{ range . }}{{ end }}')).toThrow(GoTemplateError);
  });
});
