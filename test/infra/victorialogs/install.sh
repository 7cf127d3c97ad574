#!/usr/bin/env bash
# Installs (once) VictoriaLogs (Apache-2.0) from the Go module proxy: it serves the Loki push API
# (/insert/loki/api/v1/push, JSON and protobuf) and a query API (/select/logsql/query) that gives back
# each entry's stream labels and its nanosecond timestamp, which is what the loki output's
# integration tests assert. (Grafana Loki itself is AGPL and is not used.)
# Cached: the binary under $PEREGRINE_IT_CACHE/victorialogs, modules/build cache in ~/go, ~/.cache.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dir="$PEREGRINE_IT_CACHE/victorialogs"
logfile="$dir/install.log"
mkdir -p "$dir"

if [ -x "$binary" ]; then
  log "victoria-logs $VL_VERSION already installed ($binary)"
  exit 0
fi

: >"$logfile"
go_install "github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@$VL_VERSION" victoria-logs "$binary" -version
