#!/usr/bin/env bash
# Starts VictoriaMetrics single-node on 127.0.0.1 with a fresh data directory and writes
# $PEREGRINE_IT_STATE/victoriametrics.json (shape and read-back helpers: test/infra/victoriametrics/state.ts).
#   url   base URL; InfluxDB line protocol at /write and /api/v2/write, points back from /api/v1/export
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

logfile="$PEREGRINE_IT_STATE/victoriametrics.log"
data="$PEREGRINE_IT_STATE/victoriametrics-data"

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x "$binary" ] || fail start "victoria-metrics not installed: $binary (run the install step)" ""

port="$(free_port)"
rm -rf "$data"
# retentionPeriod 100y: test alerts carry fixed (past) times that must not be dropped as too old.
pid="$(spawn "$logfile" "$binary" -httpListenAddr="127.0.0.1:$port" -storageDataPath="$data" -retentionPeriod=100y \
  -loggerLevel=INFO -http.shutdownDelay=0s)"
save_pid "$pid"
ready() { python3 -c "import sys,urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$1/health', timeout=2).status == 200 else 1)"; }
wait_for 60 "$logfile" "$pid" ready "$port"

write_state "$(cat <<JSON
{"url":"http://127.0.0.1:$port","log":"$logfile"}
JSON
)"
log "VictoriaMetrics ready on 127.0.0.1:$port (pid $pid)"
