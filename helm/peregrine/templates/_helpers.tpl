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
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "peregrine.listenport" -}}
{{- $port := 2801 -}}
{{- if hasKey .Values.config "listenport" }}{{ $port = .Values.config.listenport }}{{ end -}}
{{- int $port -}}
{{- end -}}

{{- /*
  Splits .Values.config into the ConfigMap part and the Secret part (SECTION_KEY env vars, the
  names the daemon reads). A key is secret when the generated schema metadata says so
  (peregrine.configMeta: every secret() field of the zod schema), or when its name looks secret
  (password, token, apikey, …) — which also covers sections of falcosidekick outputs Peregrine
  ignores. A free-form map (customheaders, …) holding a secret-looking key moves whole, as one env
  var in falcosidekick's "k:v,k:v" form. Keys match in any case, like the daemon.
  Named outputs (outputs.<name>) are walked with the metadata of their type and the daemon's
  OUTPUTS__<NAME>__<KEY> env form ("-" written "_"); a `match:` block always stays in the ConfigMap
  (its field names are Falco fields, not secrets).
  Returns JSON: {"public": {...}, "env": {"ELASTICSEARCH_PASSWORD": "...", "OUTPUTS__SOC_PAGER__TOKEN": "..."}}.
*/ -}}
{{- define "peregrine.splitConfig" -}}
{{- $meta := include "peregrine.configMeta" . | fromJson -}}
{{- $out := dict "public" (dict) "env" (dict) -}}
{{- include "peregrine.walkConfig" (dict "node" (.Values.config | default dict) "path" "" "public" $out.public "env" $out.env "meta" $meta "envPrefix" "") -}}
{{- toJson $out -}}
{{- end -}}

{{- define "peregrine.walkConfig" -}}
{{- $ctx := . -}}
{{- range $key, $value := $ctx.node -}}
{{- $path := lower $key -}}
{{- if $ctx.path }}{{ $path = printf "%s.%s" $ctx.path (lower $key) }}{{ end -}}
{{- $env := printf "%s%s" $ctx.envPrefix ($path | replace "." "_" | upper) -}}
{{- if and (eq $path "outputs") (kindIs "map" $value) (not $ctx.envPrefix) -}}
  {{- $instances := dict -}}
  {{- range $name, $instance := $value -}}
    {{- if kindIs "map" $instance -}}
      {{- $typeMeta := get $ctx.meta.instances (lower (toString (get $instance "type"))) | default (dict "secrets" (list) "maps" (list)) -}}
      {{- $sub := dict -}}
      {{- $prefix := printf "OUTPUTS__%s__" ($name | upper | replace "-" "_") -}}
      {{- include "peregrine.walkConfig" (dict "node" $instance "path" "" "public" $sub "env" $ctx.env "meta" (dict "secrets" $typeMeta.secrets "maps" $typeMeta.maps "secretKeyPattern" $ctx.meta.secretKeyPattern) "envPrefix" $prefix) -}}
      {{- $_ := set $instances $name $sub -}}
    {{- else -}}
      {{- $_ := set $instances $name $instance -}}
    {{- end -}}
  {{- end -}}
  {{- $_ := set $ctx.public $key $instances -}}
{{- else if and (eq (lower $key) "match") (or $ctx.path $ctx.envPrefix) -}}
  {{- $_ := set $ctx.public $key $value -}}
{{- else if kindIs "map" $value -}}
  {{- if has $path $ctx.meta.maps -}}
    {{- $secretish := false -}}
    {{- range $k, $v := $value }}{{ if regexMatch $ctx.meta.secretKeyPattern $k }}{{ $secretish = true }}{{ end }}{{ end -}}
    {{- if $secretish -}}
      {{- $pairs := list -}}
      {{- range $k, $v := $value -}}
        {{- if or (contains "," (toString $v)) (contains "," $k) -}}
          {{- fail (printf "config.%s holds a secret-looking key, so the chart passes it as the env var %s=\"k:v,k:v\", but %q contains a comma: put %s in existingSecret or extraEnv instead" $path $env $k $env) -}}
        {{- end -}}
        {{- $pairs = append $pairs (printf "%s:%s" $k (toString $v)) -}}
      {{- end -}}
      {{- $_ := set $ctx.env $env (join "," $pairs) -}}
    {{- else -}}
      {{- $_ := set $ctx.public $key $value -}}
    {{- end -}}
  {{- else -}}
    {{- $sub := dict -}}
    {{- include "peregrine.walkConfig" (dict "node" $value "path" $path "public" $sub "env" $ctx.env "meta" $ctx.meta "envPrefix" $ctx.envPrefix) -}}
    {{- $_ := set $ctx.public $key $sub -}}
  {{- end -}}
{{- else if and (not (kindIs "slice" $value)) (or (has $path $ctx.meta.secrets) (regexMatch $ctx.meta.secretKeyPattern $key)) -}}
  {{- if and (not (kindIs "invalid" $value)) (ne (toString $value) "") -}}
    {{- $_ := set $ctx.env $env (toString $value) -}}
  {{- end -}}
{{- else -}}
  {{- $_ := set $ctx.public $key $value -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "peregrine.secretName" -}}
{{- include "peregrine.fullname" . -}}
{{- end -}}

{{- /* Probes follow the daemon's TLS settings: notlsport (plain HTTP) when set, else HTTPS. */ -}}
{{- define "peregrine.probe" -}}
{{- $probe := deepCopy .probe -}}
{{- $tls := (.root.Values.config.tlsserver | default dict) -}}
{{- if and $probe.httpGet $tls.deploy -}}
{{- if gt (int ($tls.notlsport | default 0)) 0 -}}
{{- $_ := set $probe.httpGet "port" "status" -}}
{{- else -}}
{{- $_ := set $probe.httpGet "scheme" "HTTPS" -}}
{{- end -}}
{{- end -}}
{{- toYaml $probe -}}
{{- end -}}
