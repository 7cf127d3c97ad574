#!/usr/bin/env bash
# Starts fake-gcs-server on a free 127.0.0.1 port, plain HTTP, in memory, and writes
# $PEREGRINE_IT_STATE/fakegcs.json (shape: test/infra/fakegcs/state.ts). Buckets are created by
# the tests (POST /storage/v1/b); no auth: it accepts any or no Authorization header.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=fakegcs

FAKEGCS_VERSION=v1.56.1   # keep in sync with install.sh
binary="$PEREGRINE_IT_CACHE/fakegcs/fake-gcs-server-$FAKEGCS_VERSION"
logfile="$PEREGRINE_IT_STATE/fakegcs.log"

stop_pids   # leftovers of an interrupted run (only our own pid files)
[ -x "$binary" ] || fail start "fake-gcs-server is not installed at $binary (run the install step)" ""

port="$(free_port)"
pid="$(spawn "$logfile" "$binary" -scheme http -host 127.0.0.1 -port "$port" -backend memory \
  -public-host "127.0.0.1:$port" -external-url "http://127.0.0.1:$port" -log-level warn)"
save_pid "$pid"
# Ready once the JSON API lists buckets.
wait_for 30 "$logfile" "$pid" python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/storage/v1/b?project=test', timeout=2)"

write_state "$(cat <<JSON
{"endpoint":"http://127.0.0.1:$port","host":"127.0.0.1:$port","log":"$logfile"}
JSON
)"
log "fake-gcs-server $FAKEGCS_VERSION ready on 127.0.0.1:$port (pid $pid)"
