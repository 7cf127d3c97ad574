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

if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin "$HOME/go/bin" /usr/lib/go/bin; do [ -x "$d/go" ] && export PATH="$d:$PATH" && break; done
fi
command -v go >/dev/null 2>&1 || fail install "go is not installed (need Go >= 1.26 on PATH)" ""
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"
export CGO_ENABLED=0

: >"$logfile"
log "building statsd_exporter $SE_VERSION (go install; first time only; log: $logfile)"
started=$SECONDS
tmpbin="$(mktemp -d)"
GOBIN="$tmpbin" GOFLAGS="-buildvcs=false -trimpath" go install "github.com/prometheus/statsd_exporter@$SE_VERSION" >>"$logfile" 2>&1 \
  || fail install "go install github.com/prometheus/statsd_exporter@$SE_VERSION failed" "$logfile"
"$tmpbin/statsd_exporter" --version >>"$logfile" 2>&1 || fail install "the built statsd_exporter does not run" "$logfile"
mv -f "$tmpbin/statsd_exporter" "$binary" && rmdir "$tmpbin"
log "built $binary in $((SECONDS - started))s"
