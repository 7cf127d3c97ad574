#!/usr/bin/env bash
# Starts the OTLP test receiver (OpenTelemetry Collector built by install.sh) on 127.0.0.1 and
# writes $PEREGRINE_IT_STATE/otelcol.json (shape and file format: test/infra/otelcol/state.ts).
#   httpUrl  OTLP/HTTP (POST /v1/logs, /v1/traces, protobuf or JSON); no gRPC listener (the otlp
#            outputs have none)
# Every accepted log record is appended as OTLP/JSON to logsFile, every span to tracesFile, one line
# per accepted request.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=otelcol

binary="$PEREGRINE_IT_CACHE/otelcol/otelcol-peregrine-otlp"
logfile="$PEREGRINE_IT_STATE/otelcol.log"
config="$PEREGRINE_IT_STATE/otelcol-collector.yaml"
logs="$PEREGRINE_IT_STATE/otelcol-logs.jsonl"
traces="$PEREGRINE_IT_STATE/otelcol-traces.jsonl"

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x "$binary" ] || fail start "collector not built: $binary (run the install step)" ""

http_port="$(free_port)"
rm -f "$logs" "$traces"

cat >"$config" <<YAML
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:$http_port
exporters:
  file/logs:
    path: $logs
    format: json
    append: true
    flush_interval: 100ms
  file/traces:
    path: $traces
    format: json
    append: true
    flush_interval: 100ms
service:
  telemetry:
    metrics:
      level: none
    logs:
      level: info
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [file/logs]
    traces:
      receivers: [otlp]
      exporters: [file/traces]
YAML

pid="$(spawn "$logfile" "$binary" --config "file:$config")"
save_pid "$pid"
# Ready when an empty export request is accepted (the receiver answers 200 with {"partialSuccess":{}}).
ready() {
  python3 - "$1" <<'PY'
import sys, urllib.request
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/v1/logs", data=b'{"resourceLogs":[]}',
                             headers={"Content-Type": "application/json"}, method="POST")
with urllib.request.urlopen(req, timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}
wait_for 60 "$logfile" "$pid" ready "$http_port"

write_state "$(cat <<JSON
{"httpUrl":"http://127.0.0.1:$http_port","logsFile":"$logs","tracesFile":"$traces","log":"$logfile"}
JSON
)"
log "OTLP receiver ready on 127.0.0.1:$http_port (pid $pid)"
