{{- define "peregrine.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- /* <release>-peregrine, or <release> when it already contains "peregrine" (helm install peregrine → Service "peregrine"). */ -}}
{{- define "peregrine.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "peregrine.selectorLabels" -}}
app.kubernetes.io/name: {{ include "peregrine.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "peregrine.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "peregrine.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: falco
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- with .Values.customLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- /* falcosidekick chart's customAnnotations: on every resource. Renders an `annotations:` block or nothing. */ -}}
{{- define "peregrine.annotations" -}}
{{- $all := merge (dict) (.extra | default dict) (.root.Values.customAnnotations | default dict) -}}
{{- if $all }}
annotations:
  {{- toYaml $all | nindent 2 }}
{{- end }}
{{- end -}}

{{- /* imagePullSecrets as Kubernetes wants them, from names ([regcred]) or references ([{name: regcred}]). */ -}}
{{- define "peregrine.imagePullSecrets" -}}
{{- range .Values.imagePullSecrets }}
- name: {{ if kindIs "map" . }}{{ .name }}{{ else }}{{ . }}{{ end }}
{{- end }}
{{- end -}}

{{- /* The Secret of SECTION_KEY env vars the user manages: Peregrine's existingSecret or the falcosidekick chart's config.existingSecret. */ -}}
{{- define "peregrine.existingSecret" -}}
{{- $name := coalesce .Values.existingSecret (.Values.config | default dict).existingSecret -}}
{{- if $name }}{{ $name }}{{ end -}}
{{- end -}}

{{- /* Ingest TLS material the chart mounts at /etc/certs/server (falcosidekick chart keys). */ -}}
{{- define "peregrine.tlsCertsSecret" -}}
{{- $tls := (.Values.config | default dict).tlsserver | default dict -}}
{{- if $tls.deploy -}}
{{- if $tls.existingSecret -}}{{ $tls.existingSecret }}{{- else if and $tls.servercrt $tls.serverkey -}}{{ include "peregrine.fullname" . }}-certs{{- end -}}
{{- end -}}
{{- end -}}

{{- /* tlsserver.notlspaths as a list (the falcosidekick chart writes "/ping,/healthz"). */ -}}
{{- define "peregrine.notlspaths" -}}
{{- $tls := (.Values.config | default dict).tlsserver | default dict -}}
{{- $paths := $tls.notlspaths | default list -}}
{{- if kindIs "string" $paths }}{{ $paths = splitList "," $paths }}{{ end -}}
{{- $clean := list -}}
{{- range $paths }}{{ if trim . }}{{ $clean = append $clean (trim .) }}{{ end }}{{ end -}}
{{- toJson $clean -}}
{{- end -}}

{{- define "peregrine.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "peregrine.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "peregrine.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- $repo := .Values.image.repository -}}
{{- with .Values.image.registry }}{{ $repo = printf "%s/%s" (trimSuffix "/" .) $repo }}{{ end -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repo .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}
{{- end -}}

{{- /* The console's own port (config.console.port) when it has one; 0 = it shares the ingest port. */ -}}
{{- define "peregrine.consoleport" -}}
{{- $console := (.Values.config | default dict).console | default dict -}}
{{- if and $console.enabled $console.port }}{{ int $console.port }}{{ else }}0{{ end -}}
{{- end -}}

{{- define "peregrine.listenport" -}}
{{- $port := 2801 -}}
{{- if and (hasKey .Values.config "listenport") (ne (toString .Values.config.listenport) "") }}{{ $port = .Values.config.listenport }}{{ end -}}
{{- int $port -}}
{{- end -}}

{{- /*
  Splits .Values.config into the ConfigMap part and the Secret part (SECTION_KEY env vars, the
  names the daemon reads). Secret material, whatever its spelling (keys match in any case) or form:
  - a path the schema marks secret (peregrine.configMeta.secrets: every secret() field of the zod
    schema, customheaders included): a scalar as is, a map as "k:v,k:v", a list as "a,b";
  - a key whose name looks secret (password, token, apikey, …);
  - a free-form map holding such a key (customfields with a token …), whole, as "k:v,k:v";
  - a section of a falcosidekick output the daemon does not have (stan:
    it may hold a password or a credential URL), whole: one env var per key (the daemon warns about those it would
    have sent to, and so do the NOTES).
  A "" leaf is unset, as in falcosidekick's chart (it passes every value as an env var, and an empty
  one means the default): it is left out, except where "" is a value of its own for the daemon
  (peregrine.configMeta keepempty: Peregrine-only keys such as dedupe.redis.keyprefix).
  falcosidekick chart keys inside sections the daemon has (peregrine.configMeta falcosidekickkeys):
  alertmanager.expireafter becomes expiresafter; aws.useirsa keeps aws.rolearn/externalid from the
  daemon (the ServiceAccount carries the role instead); the rest are ignored, with a NOTE when set.
  Named outputs (outputs.<name>) are walked with the metadata of their type and the daemon's
  OUTPUTS__<NAME>__<KEY> env form ("-" written "_"); a `match:` block always stays in the ConfigMap
  (its field names are Falco fields, not secrets).
  The falcosidekick chart's own keys inside config (existingSecret, extraEnv, extraArgs,
  tlsserver.existingSecret/servercrt/serverkey/cacrt) are chart settings: they never reach the daemon.
  Returns JSON: {"public": {...}, "env": {"ELASTICSEARCH_PASSWORD": "...", "OUTPUTS__SOC_PAGER__TOKEN": "..."}}.
*/ -}}
{{- define "peregrine.splitConfig" -}}
{{- $meta := include "peregrine.configMeta" . | fromJson -}}
{{- $_ := set $meta "irsa" (ne (include "peregrine.irsa" .) "") -}}
{{- $out := dict "public" (dict) "env" (dict) -}}
{{- include "peregrine.walkConfig" (dict "node" (.Values.config | default dict) "path" "" "public" $out.public "env" $out.env "meta" $meta "envPrefix" "") -}}
{{- toJson $out -}}
{{- end -}}

{{- /* The daemon's RESTART_KEYS (src/reload/plan.ts; a chart test keeps the two equal): the
   top-level config keys a reload cannot apply. */ -}}
{{- define "peregrine.restartKeys" -}}
["listenaddress", "listenport", "tlsserver", "ingest", "spool", "deadletter", "trail", "console", "prometheus", "reload"]
{{- end -}}

{{- define "peregrine.chartOnlyKeys" -}}
{"": ["existingsecret", "extraenv", "extraargs"], "tlsserver": ["existingsecret", "servercrt", "serverkey", "cacrt"]}
{{- end -}}

{{- /* A value as the daemon reads it from one env var: maps as "k:v,k:v" (a textmap, OTLP headers:
   "k=v,k=v" percent-encoded as OTEL_EXPORTER_OTLP_HEADERS), lists as "a,b". */ -}}
{{- define "peregrine.envValue" -}}
{{- $v := .value -}}
{{- if and .textmap (kindIs "map" $v) -}}
  {{- $pairs := list -}}
  {{- range $k, $x := $v -}}
    {{- $pairs = append $pairs (printf "%s=%s" ($k | replace "%" "%25" | replace "," "%2C" | replace "=" "%3D") (toString $x | replace "%" "%25" | replace "," "%2C")) -}}
  {{- end -}}
  {{- join "," $pairs -}}
{{- else if kindIs "map" $v -}}
  {{- $pairs := list -}}
  {{- range $k, $x := $v -}}
    {{- if or (contains "," (toString $x)) (contains "," $k) -}}
      {{- fail (printf "config.%s is passed to the daemon as the env var %s=\"k:v,k:v\", but %q contains a comma: put %s in existingSecret or extraEnv instead" $.path $.env $k $.env) -}}
    {{- end -}}
    {{- $pairs = append $pairs (printf "%s:%s" $k (toString $x)) -}}
  {{- end -}}
  {{- join "," $pairs -}}
{{- else if kindIs "slice" $v -}}
  {{- join "," $v -}}
{{- else -}}
  {{- toString $v -}}
{{- end -}}
{{- end -}}

{{- /* Every leaf below a section as SECTION_KEY env vars (a falcosidekick section the daemon lacks). */ -}}
{{- define "peregrine.walkForeign" -}}
{{- $ctx := . -}}
{{- range $key, $value := $ctx.node -}}
{{- $path := printf "%s.%s" $ctx.path (lower $key) -}}
{{- $env := $path | replace "." "_" | upper -}}
{{- if and (kindIs "map" $value) (not (has $path $ctx.meta.maps)) -}}
  {{- include "peregrine.walkForeign" (dict "node" $value "path" $path "env" $ctx.env "meta" $ctx.meta) -}}
{{- else if and (not (kindIs "invalid" $value)) (ne (toString $value) "") (ne (toJson $value) "{}") (ne (toJson $value) "[]") -}}
  {{- $_ := set $ctx.env $env (include "peregrine.envValue" (dict "value" $value "path" $path "env" $env)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "peregrine.walkConfig" -}}
{{- $ctx := . -}}
{{- $skip := get (include "peregrine.chartOnlyKeys" . | fromJson) $ctx.path | default list -}}
{{- range $key, $value := $ctx.node -}}
{{- $path := lower $key -}}
{{- if $ctx.path }}{{ $path = printf "%s.%s" $ctx.path (lower $key) }}{{ end -}}
{{- $env := printf "%s%s" $ctx.envPrefix ($path | replace "." "_" | upper) -}}
{{- $fsk := dict -}}
{{- if not $ctx.envPrefix }}{{ $fsk = get $ctx.meta.falcosidekickkeys $path | default dict }}{{ end -}}
{{- if and (has (lower $key) $skip) (not $ctx.envPrefix) -}}
  {{- /* a chart setting (see peregrine.chartOnlyKeys) */ -}}
{{- else if or $fsk.chart $fsk.ignored -}}
  {{- /* a falcosidekick chart key the chart reads (aws.useirsa) or ignores with a NOTE (peregrine.falcosidekickNotes) */ -}}
{{- else if $fsk.rename -}}
  {{- /* falcosidekick chart spelling (alertmanager.expireafter): the daemon's key, unless that is set too */ -}}
  {{- $theirs := false -}}
  {{- range $k, $v := $ctx.node }}{{ if and (eq (lower $k) $fsk.rename) (ne (toString $v) "") (not (kindIs "invalid" $v)) }}{{ $theirs = true }}{{ end }}{{ end -}}
  {{- if and (not $theirs) (not (kindIs "invalid" $value)) (ne (toString $value) "") -}}
    {{- $v := $value -}}
    {{- if and (kindIs "string" $v) (regexMatch "^[0-9]+$" $v) }}{{ $v = atoi $v }}{{ end -}}
    {{- $_ := set $ctx.public $fsk.rename $v -}}
  {{- end -}}
{{- else if and $ctx.meta.irsa (not $ctx.envPrefix) (has $path (list "aws.rolearn" "aws.externalid")) -}}
  {{- /* IRSA (aws.useirsa): the pod's web identity is the role; falcosidekick's chart passes neither */ -}}
{{- else if and (not $ctx.envPrefix) (has $path $ctx.meta.foreign) -}}
  {{- if kindIs "map" $value -}}
    {{- include "peregrine.walkForeign" (dict "node" $value "path" $path "env" $ctx.env "meta" $ctx.meta) -}}
  {{- end -}}
{{- else if and (eq $path "outputs") (kindIs "map" $value) (not $ctx.envPrefix) -}}
  {{- $instances := dict -}}
  {{- range $name, $instance := $value -}}
    {{- if kindIs "map" $instance -}}
      {{- $typeMeta := get $ctx.meta.instances (lower (toString (get $instance "type"))) | default (dict "secrets" (list) "maps" (list) "textmaps" (list) "keepempty" (list)) -}}
      {{- $sub := dict -}}
      {{- $prefix := printf "OUTPUTS__%s__" ($name | upper | replace "-" "_") -}}
      {{- $instanceMeta := dict "secrets" $typeMeta.secrets "maps" $typeMeta.maps "textmaps" ($typeMeta.textmaps | default list) "keepempty" ($typeMeta.keepempty | default list) "foreign" (list) "falcosidekickkeys" (dict) "secretKeyPattern" $ctx.meta.secretKeyPattern -}}
      {{- include "peregrine.walkConfig" (dict "node" $instance "path" "" "public" $sub "env" $ctx.env "meta" $instanceMeta "envPrefix" $prefix) -}}
      {{- $_ := set $instances $name $sub -}}
    {{- else -}}
      {{- $_ := set $instances $name $instance -}}
    {{- end -}}
  {{- end -}}
  {{- $_ := set $ctx.public $key $instances -}}
{{- else if and (eq (lower $key) "match") (or $ctx.path $ctx.envPrefix) -}}
  {{- $_ := set $ctx.public $key $value -}}
{{- else if has $path $ctx.meta.secrets -}}
  {{- if and (not (kindIs "invalid" $value)) (ne (toString $value) "") (ne (toJson $value) "{}") (ne (toJson $value) "[]") -}}
    {{- $_ := set $ctx.env $env (include "peregrine.envValue" (dict "value" $value "path" $path "env" $env "textmap" (has $path $ctx.meta.textmaps))) -}}
  {{- end -}}
{{- else if kindIs "map" $value -}}
  {{- if has $path $ctx.meta.maps -}}
    {{- $secretish := false -}}
    {{- range $k, $v := $value }}{{ if regexMatch $ctx.meta.secretKeyPattern $k }}{{ $secretish = true }}{{ end }}{{ end -}}
    {{- if $secretish -}}
      {{- $_ := set $ctx.env $env (include "peregrine.envValue" (dict "value" $value "path" $path "env" $env)) -}}
    {{- else -}}
      {{- $_ := set $ctx.public $key $value -}}
    {{- end -}}
  {{- else -}}
    {{- $sub := dict -}}
    {{- include "peregrine.walkConfig" (dict "node" $value "path" $path "public" $sub "env" $ctx.env "meta" $ctx.meta "envPrefix" $ctx.envPrefix) -}}
    {{- $_ := set $ctx.public $key $sub -}}
  {{- end -}}
{{- else if regexMatch $ctx.meta.secretKeyPattern $key -}}
  {{- if and (not (kindIs "invalid" $value)) (ne (toString $value) "") -}}
    {{- $_ := set $ctx.env $env (include "peregrine.envValue" (dict "value" $value "path" $path "env" $env)) -}}
  {{- end -}}
{{- else if and (kindIs "string" $value) (has $path $ctx.meta.maps) (regexMatch $ctx.meta.secretKeyPattern $value) -}}
  {{- /* a map in its "k:v,k:v" string form whose text names a secret-looking key */ -}}
  {{- $_ := set $ctx.env $env $value -}}
{{- else if and (kindIs "string" $value) (eq $value "") (not (has $path $ctx.meta.keepempty)) -}}
  {{- /* "" = unset: the daemon's default, as falcosidekick reads its chart's empty env vars */ -}}
{{- else -}}
  {{- $_ := set $ctx.public $key $value -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /* A value in .Values.config by its dotted lower-case path, keys in any case: JSON {"v": value}, "" when absent. */ -}}
{{- define "peregrine.configValue" -}}
{{- $node := .root.Values.config | default dict -}}
{{- range $part := splitList "." .path -}}
  {{- if kindIs "map" $node -}}
    {{- $next := "" -}}
    {{- range $k, $v := $node }}{{ if eq (lower $k) $part }}{{ $next = $v }}{{ end }}{{ end -}}
    {{- $node = $next -}}
  {{- else -}}
    {{- $node = "" -}}
  {{- end -}}
{{- end -}}
{{- toJson (dict "v" $node) -}}
{{- end -}}

{{- /* "true" when the value at .path turns a falcosidekick output on (src/config/falcosidekick-outputs.ts isSet). */ -}}
{{- define "peregrine.configIsSet" -}}
{{- $v := (include "peregrine.configValue" . | fromJson).v -}}
{{- if kindIs "string" $v -}}
  {{- if and (ne (trim $v) "") (not (regexMatch "(?i)^(false|0|no|off)$" (trim $v))) }}true{{ end -}}
{{- else if kindIs "bool" $v -}}
  {{- if $v }}true{{ end -}}
{{- else if kindIs "float64" $v -}}
  {{- if ne $v 0.0 }}true{{ end -}}
{{- else if or (kindIs "slice" $v) (kindIs "map" $v) -}}
  {{- if $v }}true{{ end -}}
{{- end -}}
{{- end -}}

{{- /* The IAM role for IRSA, as falcosidekick's chart reads it: config.aws.useirsa (truthy) with config.aws.rolearn. "" when not. */ -}}
{{- define "peregrine.irsa" -}}
{{- $useirsa := (include "peregrine.configValue" (dict "root" . "path" "aws.useirsa") | fromJson).v -}}
{{- $role := (include "peregrine.configValue" (dict "root" . "path" "aws.rolearn") | fromJson).v -}}
{{- if and $useirsa (ne (toString $useirsa) "false") }}{{ $role | default "" }}{{ else }}{{ "" }}{{ end -}}
{{- end -}}

{{- /* NOTES lines about falcosidekick keys: outputs Peregrine does not have that the values turn on,
   falcosidekick chart keys that are ignored, IRSA. A JSON list. */ -}}
{{- define "peregrine.falcosidekickNotes" -}}
{{- $root := . -}}
{{- $meta := include "peregrine.configMeta" . | fromJson -}}
{{- $notes := list -}}
{{- $lacking := list -}}
{{- range $output := $meta.foreignoutputs -}}
  {{- $on := "" -}}
  {{- range $group := $output.when -}}
    {{- $all := true -}}
    {{- range $group }}{{ if not (include "peregrine.configIsSet" (dict "root" $root "path" .)) }}{{ $all = false }}{{ end }}{{ end -}}
    {{- if and $all (not $on) }}{{ $on = join " + " $group }}{{ end -}}
  {{- end -}}
  {{- if $on }}{{ $lacking = append $lacking (printf "%s (%s)" $output.name $on) }}{{ end -}}
{{- end -}}
{{- if $lacking -}}
  {{- $notes = append $notes (printf "WARNING: config turns on falcosidekick outputs that Peregrine does not have: %s. Alerts will NOT be sent there (the daemon logs the same warning at start)." (join ", " $lacking)) -}}
{{- end -}}
{{- range $path, $key := $meta.falcosidekickkeys -}}
  {{- if $key.ignored -}}
    {{- $all := true -}}
    {{- range ($key.when | default (list $path)) }}{{ if not (include "peregrine.configIsSet" (dict "root" $root "path" .)) }}{{ $all = false }}{{ end }}{{ end -}}
    {{- if $all }}{{ $notes = append $notes (printf "NOTE: config.%s is ignored: %s." $key.name $key.ignored) }}{{ end -}}
  {{- end -}}
{{- end -}}
{{- $role := include "peregrine.irsa" . -}}
{{- $rolearn := (include "peregrine.configValue" (dict "root" . "path" "aws.rolearn") | fromJson).v -}}
{{- $useirsa := (include "peregrine.configValue" (dict "root" . "path" "aws.useirsa") | fromJson).v -}}
{{- if and $rolearn (eq (toString $useirsa) "") -}}
  {{- $notes = append $notes (printf "NOTE: config.aws.rolearn: the daemon assumes %s with STS, from the default AWS credentials. falcosidekick's chart (aws.useirsa defaults to true there) put it on the ServiceAccount for IRSA instead: set config.aws.useirsa: true for that." $rolearn) -}}
{{- end -}}
{{- if $role -}}
  {{- if .Values.serviceAccount.create -}}
    {{- $notes = append $notes (printf "NOTE: config.aws.useirsa: the ServiceAccount carries eks.amazonaws.com/role-arn=%s (IRSA) and the daemon is not given aws.rolearn, as in falcosidekick's chart." $role) -}}
  {{- else -}}
    {{- $notes = append $notes (printf "WARNING: config.aws.useirsa: serviceAccount.create is false, so annotate ServiceAccount %s with eks.amazonaws.com/role-arn=%s yourself (the daemon is not given aws.rolearn)." (include "peregrine.serviceAccountName" .) $role) -}}
  {{- end -}}
{{- end -}}
{{- toJson $notes -}}
{{- end -}}

{{- define "peregrine.secretName" -}}
{{- include "peregrine.fullname" . -}}
{{- end -}}

{{- /* Probes follow the daemon's TLS settings: a path listed in notlspaths is on the plain port, the rest is HTTPS. */ -}}
{{- define "peregrine.probe" -}}
{{- $probe := deepCopy .probe -}}
{{- $tls := (.root.Values.config.tlsserver | default dict) -}}
{{- if and $probe.httpGet $tls.deploy -}}
{{- $plain := include "peregrine.notlspaths" .root | fromJsonArray -}}
{{- if or (has $probe.httpGet.path $plain) (and (has "/" $plain) (not (has $probe.httpGet.path (list "/test" "/ping" "/healthz" "/metrics" "/dlq")))) -}}
{{- $_ := set $probe.httpGet "port" "status" -}}
{{- else -}}
{{- $_ := set $probe.httpGet "scheme" "HTTPS" -}}
{{- end -}}
{{- end -}}
{{- toYaml $probe -}}
{{- end -}}

{{- /* The plain-HTTP port of notlspaths (falcosidekick's default 2810), when the daemon opens it. */ -}}
{{- define "peregrine.notlsport" -}}
{{- $tls := (.Values.config.tlsserver | default dict) -}}
{{- if and $tls.deploy (include "peregrine.notlspaths" . | fromJsonArray) -}}
{{- int ($tls.notlsport | default 2810) -}}
{{- end -}}
{{- end -}}
