// Usage: node scripts/go-template-oracle/generate.ts > test/fixtures/go-templates/cases.json, then main.go (Go's results), then compare.ts --record.
// Writes the corpus of Go templates the oracle test checks: each case is a template, the alert it
// runs on and a mode ("field": templatedfields, `.` is output_fields; "message": a chat output's
// messageformat, `.` is the whole alert). Expectations are left for the Go oracle to fill.
import { readFileSync } from 'node:fs';

const K8S = readFileSync(new URL('../../test/fixtures/alerts/enrich-k8s.json', import.meta.url), 'utf8').trim();

// Numbers as Falco and other senders write them: big integers, floats in exponent form, -0, 1.0.
const NUMBERS = `{"output":"12:00:00.000000000: Notice numbers","priority":"Notice","rule":"Numbers","time":"2026-01-02T03:04:05.5Z","source":"k8s_audit","hostname":"h","tags":["b","a"],"output_fields":{"int":4242,"zero":0,"neg":-5,"big":9007199254740993,"evt.time":1700000000167531875,"u64":18446744073709551615,"f":0.1,"one":1.0,"half":0.50,"e21":1e21,"small":1.5e-7,"negzero":-0,"negzerof":-0.0,"t":true,"f0":false,"nul":null,"s0":"0","empty":"","s10":"10","s9":"9","uni":"héllo ✓ 日本","html":"<a href='x'>&amp;</a> \\"q\\"","nl":"a\\nb\\tc","list":["b","a"],"nums":[1,2.5,-0],"emptylist":[],"map":{"z":1,"a":"x","m":{"k":"v"}},"emptymap":{},"proc.name":"bash"}}`;

// No hostname, no tags, no source; priority in lower case; a time with an offset.
const MINIMAL = `{"output":"text with {{braces}} and %d","priority":"critical","rule":"Rule <&> \\"quoted\\"","time":"2026-03-04T05:06:07+02:00","output_fields":{"proc.name":"nginx","a":{"b":"nested"},"a.b":"dotted"}}`;

// Lists and maps inside output_fields, a null among them.
const NESTED = "{\"priority\":\"Notice\",\"rule\":\"r\",\"time\":\"2026-01-02T03:04:05Z\",\"output_fields\":{\"nul\":null,\"uni\":\"abc\",\"int\":42,\"list\":[\"a\"],\"map\":{\"a\":null,\"b\":{\"c\":1}},\"t\":true}}";

interface Case {
  id: string;
  mode: 'field' | 'message';
  template: string;
  alert: string;
  note?: string;
}

const cases: Case[] = [];
const add = (group: string, mode: Case['mode'], alerts: readonly string[], templates: readonly string[]): void => {
  for (const template of templates)
    for (const alert of alerts) cases.push({ id: `${group}-${cases.length + 1}`, mode, template, alert });
};

const F = 'field';
const M = 'message';
add('text', F, ['k8s'], ['', 'plain text', 'unicode ✓ 日本 {', '} closing }}', 'back\\slash \\{{ "x" }}', '{{"{{"}}', 'a\nb\r\nc', '100%']);
add('field', F, ['k8s', 'minimal'], [
  '{{ .environment }}',
  '{{ .missing }}',
  '{{ .k8s.ns.name }}',
  '{{ index . "k8s.ns.name" }}',
  '{{ index . "missing.key" }}',
  '{{ index . "proc.aname[2]" }}',
  '{{ index . "fd.name" }}',
  '{{ . }}',
  '{{ $ }}',
  '{{ $.environment }}',
  '{{ .a.b }}',
  '{{ index . "a.b" }}',
  '{{ index . "a" "b" }}',
  '{{ index .a "b" }}',
  '{{ (index . "a").b }}',
  '{{ .Priority }}',
  '{{ .Rule }}',
  '{{ .OutputFields }}',
  '{{ .missing.deeper }}',
  '{{ index . "missing" "deeper" }}',
]);
add('number', F, ['numbers'], [
  '{{ .int }}', '{{ .zero }}', '{{ .neg }}', '{{ .big }}', '{{ index . "evt.time" }}', '{{ .u64 }}', '{{ .f }}', '{{ .one }}', '{{ .half }}',
  '{{ .e21 }}', '{{ .small }}', '{{ .negzero }}', '{{ .negzerof }}', '{{ .t }}', '{{ .f0 }}', '{{ .nul }}', '{{ .s0 }}', '{{ .empty }}',
  '{{ .uni }}', '{{ .html }}', '{{ .nl }}', '{{ .list }}', '{{ .nums }}', '{{ .emptylist }}', '{{ .map }}', '{{ .emptymap }}', '{{ .map.a }}',
  '{{ .map.m.k }}', '{{ .map.nope }}',
]);
add('truth', F, ['numbers'], ['zero', 'int', 'f0', 't', 'nul', 's0', 'empty', 'emptylist', 'list', 'emptymap', 'map', 'negzero', 'missing', 'one'].flatMap((k) => [
  `{{ if .${k} }}T{{ else }}F{{ end }}`,
  `{{ with .${k} }}<{{ . }}>{{ else }}none{{ end }}`,
  `{{ not .${k} }}`,
]));
add('printf', F, ['numbers'], [
  '{{ printf "%s" .uni }}', '{{ printf "%s" .int }}', '{{ printf "%d" .int }}', '{{ printf "%d" 42 }}', '{{ printf "%d" "42" }}', '{{ printf "%v" .int }}',
  '{{ printf "%v" .f }}', '{{ printf "%v" .list }}', '{{ printf "%v" .map }}', '{{ printf "%v" .nul }}', '{{ printf "%v" .missing }}', '{{ printf "%s" .missing }}',
  '{{ printf "%q" .uni }}', '{{ printf "%q" .html }}', '{{ printf "%q" .int }}', '{{ printf "%q" 65 }}', '{{ printf "%x" "hi" }}', '{{ printf "%x" 255 }}', '{{ printf "%X" .uni }}',
  '{{ printf "%f" 1.5 }}', '{{ printf "%f" .f }}', '{{ printf "%5.2f" 3.14159 }}', '{{ printf "%5d|%-5d|%05d" 1 2 3 }}', '{{ printf "%t" true }}', '{{ printf "%T" .int }}',
  '{{ printf "%T" .uni }}', '{{ printf "%s %s" "a" }}', '{{ printf "%s" "a" "b" }}', '{{ printf "%%" }}', '{{ printf "%" }}', '{{ printf "%z" 1 }}', '{{ printf "%v %v" .t .f0 }}',
  '{{ printf "%s" .list }}', '{{ printf "%d" .nums }}', '{{ printf "%v" 1e21 }}', '{{ printf "%v" 0.1 }}', '{{ printf "%v" 3.0 }}', '{{ printf "%e" 1234.5 }}', '{{ printf "%g" 0.000001 }}',
  '{{ printf "%8s|%-8s|" "ab" "cd" }}', '{{ printf "%.2s" .uni }}', '{{ printf "%c" 65 }}', '{{ printf "%U" 65 }}', '{{ printf "%b" 5 }}', '{{ printf "%o" 8 }}', '{{ printf "%+d" 5 }}',
  '{{ printf "%v" nil }}', '{{ printf "%d" .big }}', '{{ printf "%s" 42 }}', '{{ printf "%v" -0.0 }}', '{{ printf "%[2]s %[1]s" "a" "b" }}', '{{ printf "%*d" 4 7 }}',
  '{{ printf "%v" .emptymap }}', '{{ printf "%v" .map.m }}',
]);
add('print', F, ['numbers'], [
  '{{ print "a" "b" }}', '{{ print 1 2 }}', '{{ print "a" 1 2 "b" }}', '{{ print .int .int }}', '{{ print .uni .int }}', '{{ print }}', '{{ print nil }}', '{{ print .missing }}',
  '{{ println "a" 1 }}', '{{ println }}', '{{ print true false }}', '{{ print 1.5 2 }}', '{{ print .list .map }}', '{{ print .t .f0 }}',
]);
add('len', F, ['numbers'], ['{{ len .uni }}', '{{ len .list }}', '{{ len .map }}', '{{ len .emptylist }}', '{{ len .int }}', '{{ len .missing }}', '{{ len .nul }}', '{{ len .t }}', '{{ len "" }}', '{{ len "héllo" }}', '{{ len . }}']);
add('index', F, ['numbers'], [
  '{{ index .list 0 }}', '{{ index .list 1 }}', '{{ index .list 5 }}', '{{ index .list -1 }}', '{{ index .map "a" }}', '{{ index .map "nope" }}', '{{ index .map "m" "k" }}',
  '{{ index .uni 0 }}', '{{ index .int 0 }}', '{{ index .missing 0 }}', '{{ index .missing "x" }}', '{{ index .list "x" }}', '{{ index .nums 1 }}', '{{ index . }}', '{{ index .list 1.0 }}',
]);
add('slice', F, ['numbers'], ['{{ slice .uni 0 1 }}', '{{ slice .list 1 }}', '{{ slice "abcdef" 1 3 }}', '{{ slice .list }}', '{{ slice .list 0 9 }}']);
add('compare', F, ['numbers'], [
  '{{ eq .int 4242 }}', '{{ eq .int "4242" }}', '{{ eq .s10 "10" }}', '{{ eq .s10 10 }}', '{{ eq 1 1 }}', '{{ eq 1 1.0 }}', '{{ eq 1.5 1.5 }}', '{{ eq "a" "a" }}', '{{ eq "a" "b" "a" }}',
  '{{ eq .missing .nul }}', '{{ eq .missing "x" }}', '{{ eq .nul nil }}', '{{ eq .t true }}', '{{ eq .f "0.1" }}', '{{ eq .one "1.0" }}', '{{ eq .one 1 }}', '{{ eq .big "9007199254740993" }}',
  '{{ eq .big 9007199254740993 }}', '{{ ne .int 4242 }}', '{{ ne "a" "b" }}', '{{ ne 1 2 }}', '{{ ne .s10 "10" }}', '{{ lt 1 2 }}', '{{ lt 2 1 }}', '{{ lt 1 2.5 }}', '{{ lt 1.5 2.5 }}',
  '{{ lt "a" "b" }}', '{{ lt "B" "a" }}', '{{ lt .s10 .s9 }}', '{{ lt .int 5000 }}', '{{ gt .int 100 }}', '{{ ge .int 4242 }}', '{{ le .int 4242 }}', '{{ lt .zero .int }}', '{{ gt .f 0 }}',
  '{{ lt true false }}', '{{ lt .missing 1 }}', '{{ gt "b" "a" }}', '{{ le "a" "a" }}', '{{ ge 2 3 }}', '{{ eq .list .list }}', '{{ eq .map .map }}', '{{ lt -1 0 }}', '{{ eq 0 -0 }}',
  '{{ eq .uni "héllo ✓ 日本" }}', '{{ eq }}', '{{ eq 1 }}', '{{ lt 1 2 3 }}', '{{ eq "1" 1 }}', '{{ eq .int .zero .int }}',
]);
add('logic', F, ['numbers'], [
  '{{ and 1 2 }}', '{{ and 0 2 }}', '{{ and "" "x" }}', '{{ and .t .uni }}', '{{ and .f0 .missing }}', '{{ or 0 "" }}', '{{ or 0 "x" }}', '{{ or .missing .uni }}', '{{ or .empty .s0 }}',
  '{{ not true }}', '{{ not 0 }}', '{{ not "" }}', '{{ not .missing }}', '{{ and }}', '{{ or 1 }}', '{{ not 1 2 }}', '{{ and 0 (index .missing 0) }}', '{{ or 1 (index .missing 0) }}',
  '{{ and 1 (len .missing) }}', '{{ or 0 (len .missing) }}', '{{ if and .t (not .f0) }}yes{{ end }}', '{{ or .missing .nul }}', '{{ and .list .map }}', '{{ or .emptylist .emptymap }}',
]);
add('if', F, ['k8s'], [
  '{{ if eq (index . "k8s.ns.name") "payments" }}pay{{ else if eq (index . "k8s.ns.name") "web" }}web{{ else }}other{{ end }}',
  '{{ if .missing }}a{{ else if .environment }}b{{ else }}c{{ end }}',
  '{{ if .missing }}a{{ else if .missing2 }}b{{ end }}',
  '{{ if .environment }}{{ if .missing }}x{{ else }}y{{ end }}{{ end }}',
  '{{ if 1 }}one{{ end }}', '{{ if "" }}e{{ else }}ne{{ end }}', '{{ if nil }}n{{ end }}', '{{ if }}x{{ end }}', '{{ if .x }}', '{{ end }}', '{{ else }}', '{{ if .x }}a{{ else }}b{{ else }}c{{ end }}',
  '{{ with .environment }}{{ . }}/{{ $.environment }}{{ end }}', '{{ with .missing }}x{{ else with .environment }}{{ . }}{{ end }}', '{{ with $x := .environment }}{{ $x }}{{ end }}',
  '{{ if .environment }}\n  line\n{{ end }}\n', '{{- if .environment -}}\n  line\n{{- end -}}\n',
]);
add('range', F, ['numbers'], [
  '{{ range .list }}{{ . }},{{ end }}', '{{ range $i, $v := .list }}{{ $i }}={{ $v }} {{ end }}', '{{ range $k, $v := .map }}{{ $k }}={{ $v }};{{ end }}', '{{ range .emptylist }}x{{ else }}empty{{ end }}',
  '{{ range .map }}{{ . }};{{ end }}', '{{ range .missing }}x{{ end }}', '{{ range .list }}{{ if eq . "a" }}{{ break }}{{ end }}{{ . }}{{ end }}', '{{ range 3 }}{{ . }}{{ end }}',
]);
add('vars', F, ['k8s'], [
  '{{ $x := .environment }}{{ $x }}', '{{ $x := 1 }}{{ $x = 2 }}{{ $x }}', '{{ $ }}', '{{ $.missing }}', '{{ $x }}', '{{ $x := index . "k8s.ns.name" }}{{ if $x }}{{ $x }}{{ end }}',
]);
add('pipe', F, ['k8s', 'numbers'], [
  '{{ .environment | printf "%s!" }}', '{{ "x" | printf "%s-%s" "a" }}', '{{ .environment | len }}', '{{ (index . "k8s.ns.name") | printf "%q" }}', '{{ (printf "%s" "a") }}',
  '{{ ("x") }}', '{{ (1) }}', '{{ print (print "a" "b") "c" }}', '{{ "a" | print "b" | print "c" }}', '{{ .missing | print }}', '{{ | print }}', '{{ print | }}', '{{ ( ) }}', '{{ (print "x" }}',
  '{{ .environment | lower }}', '{{ .environment | upper }}', '{{ default "x" .missing }}', '{{ nil }}', '{{ .environment .missing }}', '{{ "a" "b" }}', '{{ 1 | print }}',
]);
add('comment', F, ['k8s'], ['a{{/* c */}}b', 'a {{- /* c */ -}} b', '{{/* multi\nline */}}x', '{{ /* c */ }}', '{{/* unclosed }}', '{{/*c*/ .environment}}', 'a {{- /* c */}} b', 'a {{/* c */ -}} b']);
add('trim', F, ['k8s'], ['a {{- .environment -}} b', 'a\n\n{{- .environment }}\n\nb', '{{ .environment -}}\n\n  x', 'x  {{- "y" }}', '{{-3}}', '{{- 3 -}}', '{{ 3 -}}', '{{-.environment}}', 'a {{-  "b"  -}} c', '{{- -}}']);
add('escape', F, ['numbers'], [
  '{{ html .html }}', '{{ html "<b>" }}', '{{ js .html }}', '{{ js "it\'s \\"q\\" <x>" }}', '{{ urlquery .html }}', '{{ urlquery "a b&c=d/é" }}', '{{ html .int }}', '{{ js .uni }}',
  '{{ html .missing }}', '{{ urlquery "a" "b" }}', '{{ html "a" 1 }}', '{{ .html | html }}', '{{ js "\\n\\t" }}',
]);
add('literal', F, ['k8s'], [
  '{{ "tab\\there" }}', '{{ `raw\\n` }}', '{{ 0x1F }}', '{{ 1_000 }}', '{{ 2.50 }}', '{{ 1e21 }}', '{{ 1e3 }}', '{{ 0.1 }}', '{{ -0 }}', '{{ -0.0 }}', '{{ true }}', '{{ false }}', '{{ \'A\' }}',
  '{{ 9007199254740993 }}', '{{ 18446744073709551615 }}', '{{ 18446744073709551616 }}', '{{ 0o17 }}', '{{ 017 }}', '{{ 0b101 }}', '{{ 1i }}', '{{ 0x1p4 }}', '{{ "\\u00e9\\x41" }}', '{{ "bad\\q" }}',
  '{{ "unterminated }}', '{{ 1.5e-7 }}', '{{ 123456789.0 }}', '{{ 1e20 }}', '{{ 100000000000000000000.0 }}', '{{ .5 }}', '{{ 3. }}', '{{ +3 }}', '{{ "a\\\\" }}', '{{ `a\\` }}',
]);
add('syntax', F, ['k8s'], [
  '{{', '}}', '{{ }}', '{{ .environment', '{{ .environment }', '{{ foo }}', '{{ index }}', '{{ len }}', '{{ printf }}', '{{ .environment | foo }}', '{{ define "x" }}y{{ end }}',
  '{{ template "x" }}', '{{ block "x" . }}y{{ end }}', '{{ break }}', '{{ continue }}', '{{ if 1 }}', '{{ .a..b }}', '{{ ..a }}', '{{ .1a }}', '{{ @ }}', '{{ $x := }}', '{{ call .x }}',
  '{{ and 1 }}', '{{ not }}', '{{ .environment = 1 }}', '{{ 3 4 }}', '{{ "a" .environment }}', '{{ eq .environment }}',
]);
add('message', M, ['k8s', 'minimal'], [
  '{{ .Priority }}', '{{ .Rule }}', '{{ .Output }}', '{{ .Source }}', '{{ .Hostname }}', '{{ .Tags }}', '{{ .Time }}', '{{ .UUID }}', '{{ .OutputFields }}',
  '{{ index .OutputFields "proc.name" }}', '{{ index .OutputFields "k8s.ns.name" }}', '{{ index .OutputFields "missing" }}', '{{ .OutputFields.environment }}',
  '{{ .Priority }}: {{ .Rule }} on {{ .Hostname }} ({{ index .OutputFields "proc.name" }})', '{{ printf "%s" .Priority }}', '{{ printf "%v" .Priority }}', '{{ printf "%d" .Priority }}',
  '{{ printf "%q" .Rule }}', '{{ eq .Priority "Critical" }}', '{{ eq .Rule "Terminal shell in container" }}', '{{ if .Hostname }}host={{ .Hostname }}{{ else }}nohost{{ end }}',
  '{{ len .Tags }}', '{{ index .Tags 0 }}', '{{ if .Tags }}tags{{ else }}none{{ end }}', '{{ .Tags | len }}', '{{ .Rule | printf "[%s]" }}', '{{ html .Rule }}', '{{ js .Rule }}',
  '{{ .Missing }}', '{{ .rule }}', '{{ . }}', '{{ $.Rule }}', '{{ with .Hostname }}{{ . }}{{ end }}', '{{ .Time.Year }}', '{{ .Time.Unix }}', '{{ .Time.Format "2006-01-02" }}',
  '{{ .Priority.String }}', '{{ printf "%v" .Time }}', '{{ print .Tags }}', '{{ .OutputFields.a.b }}', '{{ index .OutputFields "a.b" }}', '{{ len .OutputFields }}', '{{ .Rule | len }}',
  '{{ lower .Rule }}', '{{ index . "proc.name" }}', '{{ .Output | urlquery }}',
]);

add('go', F, ['nested'], [
  '{{ .nul.x }}',
  '{{ .uni.x }}',
  '{{ .int.x }}',
  '{{ .list.x }}',
  '{{ .map.a.x }}',
  '{{ .map.b.c }}',
  '{{ index .map "a" "x" }}',
  '{{ index .map 1 }}',
  '{{ index .t 1 }}',
  '{{ index .nul 1 }}',
  '{{ .t.x }}',
  '{{ index .uni 5 }}',
  '{{ index .list 0 0 }}',
  '{{ slice .uni 1 }}',
  '{{ slice .int 1 }}',
  '{{ slice .list 1 1 }}',
  '{{ slice .uni 2 1 }}',
  '{{ slice .uni 0 1 2 }}',
  '{{ slice .map 0 }}',
  '{{ slice .nul }}',
  '{{ printf "%#v %+v" .uni .int }}',
  '{{ printf "%x %X % x" .int "ab" "ab" }}',
  '{{ printf "%6.2f|%-8.3e|%g|%G" 3.14159 1234.5678 100000000.0 1e-7 }}',
  '{{ printf "%v|%v|%v|%v" 1000000.0 100000.0 0.0001 0.00001 }}',
  '{{ 1000000.0 }}|{{ 0.00001 }}|{{ 1e6 }}|{{ 1e-5 }}|{{ 12.5e3 }}',
  '{{ printf "%d %s" true nil }}',
  '{{ printf "%q %v %x" .list .list .list }}',
  '{{ printf "%s|%v|%d" .map .map .map }}',
  '{{ printf "%5s|%-5v|%05d|%x|%o|%#x|%#o" "é" true -42 -255 8 255 8 }}',
  '{{ printf "%.1f|%.0f|%.3g|%8.3f|%+.2e" 2.25 2.5 3.14159 -1.5 12345.678 }}',
  '{{ printf "%t|%t" 1 "x" }}',
  '{{ printf "%c|%q|%U" .int .int .int }}',
  '{{ printf "%!" }}|{{ printf "%-" }}|{{ printf "%[3]d" 1 }}|{{ printf "%.*f" 2 3.14159 }}|{{ printf "%[1]d %d" 1 2 }}',
  '{{ printf "%v %s" .nul .nul }}|{{ printf "%d" nil }}|{{ printf "%x" -1 }}|{{ printf "%08.3f" -3.5 }}|{{ printf "%+q" "é" }}|{{ printf "%#q" "a" }}',
  '{{ printf "%e" 0.0 }}|{{ printf "%g" 1e21 }}|{{ printf "%v" 1e-320 }}|{{ printf "%.2f" 1.005 }}|{{ printf "%f" 1e21 }}',
  '{{ print 1.5 "a" 2.0 3 }}|{{ println 1 "a" "b" 2 }}|{{ print .nul .nul }}',
  "{{ html .int }}|{{ js \"<>&'\\\"=\\u2028\" }}|{{ urlquery .int \"a b\" }}|{{ html nil }}|{{ js .nul }}|{{ html .list }}",
  '{{ len .nul }}',
  '{{ eq .int .int }}|{{ lt .int .int }}|{{ eq .nul .nul }}|{{ eq .t true }}|{{ lt .uni "b" }}',
  '{{ and 1 .nul }}|{{ or .nul 0 }}|{{ not .list }}',
  "{{ printf \"%d|%v|%s\" 'a' 'a' 'a' }}|{{ '\\n' }}",
  '{{ eq .int "42" }}|{{ ne .nul "x" }}',
  '{{ lt .nul 1 }}',
  '{{ eq .nul 1 }}',
  '{{ eq .missing 1 }}',
  '{{ eq 1 .missing }}',
  '{{ eq .t 1 }}',
  '{{ lt 1.5 .int }}',
  '{{ eq "a" .t }}',
  '{{ eq "a" "b" 1 }}',
  '{{ eq "a" 1 "a" }}',
  '{{ eq "a" "a" 1 }}',
]);
add('partial', F, ['numbers'], ['team={{ index .list 5 }}', 'a{{ if gt .int 1 }}big{{ end }}', '{{ .uni }} {{ len .missing }}']);
add('space', F, ['k8s'], ['  {{ .environment }}  ', '\t{{- .environment }}\n', '{{ .environment }}\n\n', '{{\n.environment\n}}', '{{ index  .  "k8s.ns.name"  }}', '{{( index . "k8s.ns.name" )}}']);
add('unicode', F, ['numbers'], ['{{ .uni | printf "%q" }}', '{{ printf "%-12s|" .uni }}', '{{ printf "%.3s" "日本語です" }}', '{{ slice .uni 0 2 }}', '{{ len "✓" }}', 'ü{{ "✓" }}ü', '{{ eq .uni "héllo ✓ 日本" }}']);
add('message2', M, ['k8s', 'minimal'], ['{{ index .Tags 1 }}', '{{ slice .Tags 1 }}', '{{ eq .Source "syscall" "syscalls" }}', '{{ range .Tags }}{{ . }} {{ end }}', '{{ with .OutputFields }}{{ index . "proc.name" }}{{ end }}', '{{ printf "%s/%s" .Rule .Source }}', '{{ .Output | js }}']);

// Where Peregrine differs on purpose (docs/falcosidekick-differences.md, "Go templates" rows): such a
// case records Peregrine's own result too, and the test holds Peregrine to it instead of to Go's.
const DIFFERENCES: Record<string, { note: string; templates: readonly string[] }> = {
  alertFields: {
    note: 'templatedfields: .Priority, .Rule, .OutputFields… are the alert\'s; .k8s.ns.name is the dotted key',
    templates: ['field:{{ .Priority }}', 'field:{{ .Rule }}', 'field:{{ .OutputFields }}', 'field:{{ .k8s.ns.name }}'],
  },
  messageDot: {
    note: 'messageformat: `.` is the output fields, as in templatedfields, not the payload struct',
    templates: ['message:{{ . }}', 'message:{{ .Missing }}', 'message:{{ .rule }}', 'message:{{ index . "proc.name" }}'],
  },
  alertText: {
    note: '.Time is RFC 3339 text and .Priority its name; Go methods on them are refused',
    templates: [
      'message:{{ .Time }}',
      'message:{{ printf "%v" .Time }}',
      'message:{{ .Time.Year }}',
      'message:{{ .Time.Unix }}',
      'message:{{ .Time.Format "2006-01-02" }}',
      'message:{{ .Priority.String }}',
      'message:{{ printf "%d" .Priority }}',
      'message:{{ eq .Priority "Critical" }}',
    ],
  },
  uuid: { note: 'the sender\'s uuid is kept (falcosidekick makes a new one)', templates: ['message:{{ .UUID }}'] },
  numberText: {
    note: 'numbers print as JavaScript writes them (1.0 → 1, 0.50 → 0.5, 1e21 → 1e+21)',
    templates: ['field:{{ .one }}', 'field:{{ .half }}', 'field:{{ .e21 }}', 'field:{{ .negzerof }}', 'field:{{ index . }}', 'field:{{ eq .one "1.0" }}', 'field:{{ with .one }}<{{ . }}>{{ else }}none{{ end }}'],
  },
  numberCompare: {
    note: 'a numeric field or integer text compares with a number by value, and ints with floats (Go: incompatible types)',
    templates: [
      'field:{{ eq .int 4242 }}',
      'field:{{ ne .int 4242 }}',
      'field:{{ eq .one 1 }}',
      'field:{{ lt .int 5000 }}',
      'field:{{ gt .int 100 }}',
      'field:{{ ge .int 4242 }}',
      'field:{{ le .int 4242 }}',
      'field:{{ gt .f 0 }}',
      'field:{{ lt 1.5 .int }}',
      'field:{{ eq 1 1.0 }}',
      'field:{{ lt 1 2.5 }}',
      'field:a{{ if gt .int 1 }}big{{ end }}',
      'field:{{ eq .big 9007199254740993 }}',
      'field:{{ eq .s10 10 }}',
      'field:{{ eq "1" 1 }}',
    ],
  },
  floatLiteral: {
    note: 'a float literal with an integral value (3.0, 1e6) is an int once passed to a function',
    templates: [
      'field:{{ index .list 1.0 }}',
      'field:{{ printf "%v|%v|%v|%v" 1000000.0 100000.0 0.0001 0.00001 }}',
      'field:{{ printf "%6.2f|%-8.3e|%g|%G" 3.14159 1234.5678 100000000.0 1e-7 }}',
      'field:{{ printf "%e" 0.0 }}|{{ printf "%g" 1e21 }}|{{ printf "%v" 1e-320 }}|{{ printf "%.2f" 1.005 }}|{{ printf "%f" 1e21 }}',
    ],
  },
  refused: {
    note: 'refused at start: range, variables, define/template/block, call, complex numbers',
    templates: [
      'field:{{ $x := .environment }}{{ $x }}',
      'field:{{ $x := 1 }}{{ $x = 2 }}{{ $x }}',
      'field:{{ $x := index . "k8s.ns.name" }}{{ if $x }}{{ $x }}{{ end }}',
      'field:{{ with $x := .environment }}{{ $x }}{{ end }}',
      'field:{{ define "x" }}y{{ end }}',
      'field:{{ block "x" . }}y{{ end }}',
      'field:{{ template "x" }}',
      'field:{{ call .x }}',
      'field:{{ 1i }}',
      'field:{{ range .list }}{{ . }},{{ end }}',
      'field:{{ range $i, $v := .list }}{{ $i }}={{ $v }} {{ end }}',
      'field:{{ range $k, $v := .map }}{{ $k }}={{ $v }};{{ end }}',
      'field:{{ range .emptylist }}x{{ else }}empty{{ end }}',
      'field:{{ range .map }}{{ . }};{{ end }}',
      'field:{{ range .missing }}x{{ end }}',
      'field:{{ range .list }}{{ if eq . "a" }}{{ break }}{{ end }}{{ . }}{{ end }}',
      'field:{{ range 3 }}{{ . }}{{ end }}',
      'message:{{ range .Tags }}{{ . }} {{ end }}',
    ],
  },
  alwaysFails: {
    note: 'refused at start: Go accepts it but fails on every alert (arguments, nil, overflow)',
    templates: [
      'field:{{ and }}',
      'field:{{ eq }}',
      'field:{{ eq 1 }}',
      'field:{{ lt 1 2 3 }}',
      'field:{{ not }}',
      'field:{{ not 1 2 }}',
      'field:{{ index }}',
      'field:{{ len }}',
      'field:{{ printf }}',
      'field:{{ nil }}',
      'field:{{ if nil }}n{{ end }}',
      'field:{{ .environment .missing }}',
      'field:{{ "a" "b" }}',
      'field:{{ 3 4 }}',
      'field:{{ "a" .environment }}',
      'field:{{ eq .environment }}',
      'field:{{ 18446744073709551615 }}',
    ],
  },
  extensions: {
    note: 'Peregrine adds default, lower and upper',
    templates: ['field:{{ .environment | lower }}', 'field:{{ .environment | upper }}', 'field:{{ default "x" .missing }}', 'message:{{ lower .Rule }}'],
  },
  handlebars: { note: 'not Go (Go: function "foo" not defined): a Handlebars template, `foo` a missing property', templates: ['field:{{ foo }}'] },
  partial: {
    note: 'a template that fails on an alert stores "" (falcosidekick keeps the text written before the error)',
    templates: ['field:team={{ index .list 5 }}', 'field:{{ .uni }} {{ len .missing }}'],
  },
};

const NOTES = new Map(Object.values(DIFFERENCES).flatMap(({ note, templates }) => templates.map((key) => [key, note] as const)));
for (const c of cases) {
  const note = NOTES.get(`${c.mode}:${c.template}`);
  if (note !== undefined) c.note = note;
}

process.stdout.write(`${JSON.stringify({ comment: 'Generated by scripts/go-template-oracle/generate.ts; "go" is what Go rendered (main.go), "peregrine" what Peregrine renders where a note documents the difference (compare.ts --record)', alerts: { k8s: K8S, numbers: NUMBERS, minimal: MINIMAL, nested: NESTED }, cases }, null, 2)}\n`);
