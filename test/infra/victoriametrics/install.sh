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

if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin "$HOME/go/bin" /usr/lib/go/bin; do [ -x "$d/go" ] && export PATH="$d:$PATH" && break; done
fi
command -v go >/dev/null 2>&1 || fail install "go is not installed (need Go >= 1.26 on PATH)" ""
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"
# Pure Go build: nothing to compile but Go.
export CGO_ENABLED=0

: >"$logfile"
log "building victoria-metrics $VM_VERSION (go install; first time only; log: $logfile)"
started=$SECONDS
tmpbin="$(mktemp -d)"
GOBIN="$tmpbin" GOFLAGS="-buildvcs=false -trimpath" go install "github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics@$VM_VERSION" >>"$logfile" 2>&1 \
  || fail install "go install github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics@$VM_VERSION failed" "$logfile"
"$tmpbin/victoria-metrics" -version >>"$logfile" 2>&1 || fail install "the built victoria-metrics does not run" "$logfile"
mv -f "$tmpbin/victoria-metrics" "$binary" && rmdir "$tmpbin"
log "built $binary in $((SECONDS - started))s"
