#!/usr/bin/env bash
# Starts the HEC test receiver (OpenTelemetry Collector built by install.sh) on 127.0.0.1 and writes
# $PEREGRINE_IT_STATE/splunk.json (shape and event-file mapping: test/infra/splunk/state.ts).
#   url     plain HEC receiver (no indexer acknowledgement)
#   ackUrl  second receiver with the ack extension (/services/collector/ack; ackId when a channel is sent)
# Both require `Authorization: Splunk <token>`; every accepted log event from either is appended as
# OTLP/JSON to eventsFile (one line per accepted request/batch).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=splunk

binary="$PEREGRINE_IT_CACHE/splunk/otelcol-peregrine-hec"
logfile="$PEREGRINE_IT_STATE/splunk.log"
config="$PEREGRINE_IT_STATE/splunk-collector.yaml"
events="$PEREGRINE_IT_STATE/splunk-events.jsonl"

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x "$binary" ] || fail start "collector not built: $binary (run the install step)" ""

port="$(free_port)"
ack_port="$(free_port)"
while [ "$ack_port" = "$port" ]; do ack_port="$(free_port)"; done
token="$(python3 -c 'import uuid; print(uuid.uuid4())')"
rm -f "$events"

cat >"$config" <<YAML
extensions:
  bearertokenauth/hec:
    scheme: Splunk
    token: "$token"
  ack/hec: {}
receivers:
  splunk_hec:
    endpoint: 127.0.0.1:$port
    auth:
      authenticator: bearertokenauth/hec
  splunk_hec/ack:
    endpoint: 127.0.0.1:$ack_port
    auth:
      authenticator: bearertokenauth/hec
    ack:
      extension: ack/hec
exporters:
  file/events:
    path: $events
    format: json
    append: true
    flush_interval: 100ms
service:
  extensions: [bearertokenauth/hec, ack/hec]
  telemetry:
    metrics:
      level: none
    logs:
      level: info
  pipelines:
    logs:
      receivers: [splunk_hec, splunk_hec/ack]
      exporters: [file/events]
YAML

pid="$(spawn "$logfile" "$binary" --config "file:$config")"
save_pid "$pid"
health() {
  python3 - "$@" <<'PY'
import sys, urllib.request
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/services/collector/health",
                             headers={"Authorization": f"Splunk {sys.argv[2]}"})
with urllib.request.urlopen(req, timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}
wait_for 60 "$logfile" "$pid" health "$port" "$token"
wait_for 30 "$logfile" "$pid" health "$ack_port" "$token"

write_state "$(cat <<JSON
{"url":"http://127.0.0.1:$port","token":"$token","ackUrl":"http://127.0.0.1:$ack_port","eventsFile":"$events","log":"$logfile"}
JSON
)"
log "HEC receiver ready on 127.0.0.1:$port (ack: $ack_port, pid $pid)"
