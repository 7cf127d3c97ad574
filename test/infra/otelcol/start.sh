#!/usr/bin/env bash
# Starts the OTLP test receiver (OpenTelemetry Collector built by install.sh) on 127.0.0.1 and
# writes $PEREGRINE_IT_STATE/otelcol.json (shape and file format: test/infra/otelcol/state.ts).
#   httpUrl       OTLP/HTTP (POST /v1/logs, /v1/traces, /v1/metrics, protobuf or JSON)
#   grpcEndpoint  OTLP/gRPC, plaintext HTTP/2 (h2c), as http://127.0.0.1:<port>
# Every accepted log record is appended as OTLP/JSON to logsFile, every span to tracesFile, every
# metric to metricsFile, one line per accepted request.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=otelcol

binary="$PEREGRINE_IT_CACHE/otelcol/otelcol-peregrine-otlp"
logfile="$PEREGRINE_IT_STATE/otelcol.log"
config="$PEREGRINE_IT_STATE/otelcol-collector.yaml"
logs="$PEREGRINE_IT_STATE/otelcol-logs.jsonl"
traces="$PEREGRINE_IT_STATE/otelcol-traces.jsonl"
metrics="$PEREGRINE_IT_STATE/otelcol-metrics.jsonl"

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x "$binary" ] || fail start "collector not built: $binary (run the install step)" ""

http_port="$(free_port)"
grpc_port="$(free_port)"
rm -f "$logs" "$traces" "$metrics"

cat >"$config" <<YAML
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:$http_port
      grpc:
        endpoint: 127.0.0.1:$grpc_port
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
  file/metrics:
    path: $metrics
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
    metrics:
      receivers: [otlp]
      exporters: [file/metrics]
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
# Both receivers start together; the gRPC one is ready once its port takes connections.
grpc_ready() { python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2).close()' "$1"; }
wait_for 30 "$logfile" "$pid" grpc_ready "$grpc_port"

write_state "$(cat <<JSON
{"httpUrl":"http://127.0.0.1:$http_port","grpcEndpoint":"http://127.0.0.1:$grpc_port","logsFile":"$logs","tracesFile":"$traces","metricsFile":"$metrics","log":"$logfile"}
JSON
)"
log "OTLP receiver ready on 127.0.0.1:$http_port (HTTP) and 127.0.0.1:$grpc_port (gRPC) (pid $pid)"
