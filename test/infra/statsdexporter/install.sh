#!/usr/bin/env bash
# Installs (once) Prometheus' statsd_exporter (Apache-2.0) from the Go module proxy: a StatsD server
# that parses StatsD lines with DogStatsD tags strictly and shows what it counted on /metrics (and
# every line it could not parse, in statsd_exporter_sample_errors_total / tag_errors_total), which
# is what the statsd and dogstatsd outputs' integration test asserts. (VictoriaMetrics v1.151.0 has
# no StatsD listener.)
# Cached: the binary under $PEREGRINE_IT_CACHE/statsdexporter, modules/build cache in ~/go, ~/.cache.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dir="$PEREGRINE_IT_CACHE/statsdexporter"
logfile="$dir/install.log"
mkdir -p "$dir"

if [ -x "$binary" ]; then
  log "statsd_exporter $SE_VERSION already installed ($binary)"
  exit 0
fi

: >"$logfile"
go_install "github.com/prometheus/statsd_exporter@$SE_VERSION" statsd_exporter "$binary" --version
