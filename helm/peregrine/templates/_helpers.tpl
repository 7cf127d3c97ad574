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
{{- if hasKey .Values.config "listenport" }}{{ $port = .Values.config.listenport }}{{ end -}}
{{- int $port -}}
{{- end -}}

{{- /*
  Splits .Values.config into the ConfigMap part and the Secret part (SECTION_KEY env vars, the
  names the daemon reads). Secret material, whatever its spelling (keys match in any case) or form:
  - a path the schema marks secret (peregrine.configMeta.secrets: every secret() field of the zod
    schema, customheaders included): a scalar as is, a map as "k:v,k:v", a list as "a,b";
  - a key whose name looks secret (password, token, apikey, …);
  - a free-form map holding such a key (customfields with a token …), whole, as "k:v,k:v";
  - a section of a falcosidekick output the daemon does not have (e.g. mattermost: its webhookurl is
    a credential), whole: one env var per key (the daemon warns about those it would have sent to).
  Named outputs (outputs.<name>) are walked with the metadata of their type and the daemon's
  OUTPUTS__<NAME>__<KEY> env form ("-" written "_"); a `match:` block always stays in the ConfigMap
  (its field names are Falco fields, not secrets).
  The falcosidekick chart's own keys inside config (existingSecret, extraEnv, extraArgs,
  tlsserver.existingSecret/servercrt/serverkey/cacrt) are chart settings: they never reach the daemon.
  Returns JSON: {"public": {...}, "env": {"ELASTICSEARCH_PASSWORD": "...", "OUTPUTS__SOC_PAGER__TOKEN": "..."}}.
*/ -}}
{{- define "peregrine.splitConfig" -}}
{{- $meta := include "peregrine.configMeta" . | fromJson -}}
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

{{- /* A value as the daemon reads it from one env var: maps as "k:v,k:v", lists as "a,b". */ -}}
{{- define "peregrine.envValue" -}}
{{- $v := .value -}}
{{- if kindIs "map" $v -}}
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
{{- if and (has (lower $key) $skip) (not $ctx.envPrefix) -}}
  {{- /* a chart setting (see peregrine.chartOnlyKeys) */ -}}
{{- else if and (not $ctx.path) (not $ctx.envPrefix) (has (lower $key) $ctx.meta.foreign) -}}
  {{- if kindIs "map" $value -}}
    {{- include "peregrine.walkForeign" (dict "node" $value "path" (lower $key) "env" $ctx.env "meta" $ctx.meta) -}}
  {{- end -}}
{{- else if and (eq $path "outputs") (kindIs "map" $value) (not $ctx.envPrefix) -}}
  {{- $instances := dict -}}
  {{- range $name, $instance := $value -}}
    {{- if kindIs "map" $instance -}}
      {{- $typeMeta := get $ctx.meta.instances (lower (toString (get $instance "type"))) | default (dict "secrets" (list) "maps" (list)) -}}
      {{- $sub := dict -}}
      {{- $prefix := printf "OUTPUTS__%s__" ($name | upper | replace "-" "_") -}}
      {{- include "peregrine.walkConfig" (dict "node" $instance "path" "" "public" $sub "env" $ctx.env "meta" (dict "secrets" $typeMeta.secrets "maps" $typeMeta.maps "foreign" (list) "secretKeyPattern" $ctx.meta.secretKeyPattern) "envPrefix" $prefix) -}}
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
    {{- $_ := set $ctx.env $env (include "peregrine.envValue" (dict "value" $value "path" $path "env" $env)) -}}
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
{{- else -}}
  {{- $_ := set $ctx.public $key $value -}}
{{- end -}}
{{- end -}}
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
