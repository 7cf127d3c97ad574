#!/usr/bin/env bash
# Installs (once) VictoriaMetrics single-node (Apache-2.0) from the Go module proxy: it accepts the
# InfluxDB line protocol at /write (1.x) and /api/v2/write (2.x) and gives the points back from
# /api/v1/export, which is what the influxdb output's integration test asserts. (It is not InfluxDB:
# string field values are not stored; state.ts says what it checks and what it does not.)
# Cached: the binary under $PEREGRINE_IT_CACHE/victoriametrics, modules/build cache in ~/go, ~/.cache.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dir="$PEREGRINE_IT_CACHE/victoriametrics"
logfile="$dir/install.log"
mkdir -p "$dir"

if [ -x "$binary" ]; then
  log "victoria-metrics $VM_VERSION already installed ($binary)"
  exit 0
fi

: >"$logfile"
go_install "github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics@$VM_VERSION" victoria-metrics "$binary" -version
