{{- /* The pod, shared by the Deployment (emptyDir spool) and the StatefulSet (PVC spool). */ -}}
{{- define "peregrine.podTemplate" -}}
{{- $split := include "peregrine.splitConfig" . | fromJson -}}
{{- $port := include "peregrine.listenport" . | int -}}
{{- $tls := (.Values.config.tlsserver | default dict) -}}
{{- $notlsport := include "peregrine.notlsport" . -}}
{{- $certs := include "peregrine.tlsCertsSecret" . -}}
{{- $existing := include "peregrine.existingSecret" . -}}
metadata:
  labels:
    {{- include "peregrine.labels" . | nindent 4 }}
    {{- /* Azure Workload Identity (config.azure.workloadIdentityClientID): the AKS webhook injects the token into labelled pods only. */}}
    {{- if and (include "peregrine.configValue" (dict "root" . "path" "azure.workloadidentityclientid") | fromJson).v (not (hasKey (.Values.podLabels | default dict) "azure.workload.identity/use")) }}
    azure.workload.identity/use: "true"
    {{- end }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    {{- /* With config.reload.watch (the default) the daemon reloads the mounted ConfigMap itself
       (docs/reload.md): only the settings it reads once at start roll the pods. With it false,
       every config change does. Secret changes always do: env vars cannot change in a running pod. */}}
    {{- $reload := ((.Values.config | default dict).reload | default dict) -}}
    {{- $watch := true -}}
    {{- range $k, $v := $reload }}{{ if eq (lower $k) "watch" }}{{ $watch = ne (toString $v) "false" }}{{ end }}{{ end }}
    {{- if $watch }}
    {{- $restartOnly := dict -}}
    {{- range $k, $v := $split.public }}{{ if has (lower $k) (include "peregrine.restartKeys" $ | fromJsonArray) }}{{ $_ := set $restartOnly (lower $k) $v }}{{ end }}{{ end }}
    checksum/config: {{ toJson $restartOnly | sha256sum }}
    {{- else }}
    checksum/config: {{ toJson $split.public | sha256sum }}
    {{- end }}
    checksum/secret: {{ toJson $split.env | sha256sum }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- with .Values.customAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "peregrine.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
  {{- if .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- include "peregrine.imagePullSecrets" . | nindent 4 }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  {{- if .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml .Values.topologySpreadConstraints | nindent 4 }}
  {{- else }}
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "peregrine.selectorLabels" . | nindent 10 }}
    - maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "peregrine.selectorLabels" . | nindent 10 }}
  {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: peregrine
      image: {{ include "peregrine.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      args: {{ concat (list "-c" "/etc/peregrine/config.yaml") ((.Values.config | default dict).extraArgs | default list) | toJson }}
      ports:
        - name: http
          containerPort: {{ $port }}
          protocol: TCP
        {{- if ne (include "peregrine.consoleport" .) "0" }}
        - name: console
          containerPort: {{ include "peregrine.consoleport" . }}
          protocol: TCP
        {{- end }}
        {{- if $notlsport }}
        - name: status
          containerPort: {{ $notlsport }}
          protocol: TCP
        {{- end }}
      env:
        - name: SPOOL_ENABLED
          value: {{ .Values.spool.enabled | quote }}
        - name: SPOOL_DIR
          value: /var/lib/peregrine
        {{- with .Values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- with (.Values.config | default dict).extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- if or $split.env $existing .Values.extraEnvFrom }}
      envFrom:
        {{- if $split.env }}
        - secretRef:
            name: {{ include "peregrine.secretName" . }}
        {{- end }}
        {{- with $existing }}
        - secretRef:
            name: {{ . }}
        {{- end }}
        {{- with .Values.extraEnvFrom }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- end }}
      {{- with .Values.startupProbe }}
      startupProbe:
        {{- include "peregrine.probe" (dict "probe" . "root" $) | nindent 8 }}
      {{- end }}
      {{- with .Values.livenessProbe }}
      livenessProbe:
        {{- include "peregrine.probe" (dict "probe" . "root" $) | nindent 8 }}
      {{- end }}
      {{- with .Values.readinessProbe }}
      readinessProbe:
        {{- include "peregrine.probe" (dict "probe" . "root" $) | nindent 8 }}
      {{- end }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: /etc/peregrine
          readOnly: true
        - name: spool
          mountPath: /var/lib/peregrine
        - name: tmp
          mountPath: /tmp
        {{- if $certs }}
        - name: server-certs
          mountPath: /etc/certs/server
          readOnly: true
        {{- end }}
        {{- with .Values.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "peregrine.fullname" . }}
    {{- if not .Values.persistence.enabled }}
    - name: spool
      emptyDir:
        {{- with .Values.spool.sizeLimit }}
        sizeLimit: {{ . }}
        {{- end }}
    {{- end }}
    - name: tmp
      emptyDir:
        medium: Memory
        sizeLimit: 64Mi
    {{- if $certs }}
    - name: server-certs
      secret:
        secretName: {{ $certs }}
    {{- end }}
    {{- with .Values.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}
