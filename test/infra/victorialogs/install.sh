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

if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin "$HOME/go/bin" /usr/lib/go/bin; do [ -x "$d/go" ] && export PATH="$d:$PATH" && break; done
fi
command -v go >/dev/null 2>&1 || fail install "go is not installed (need Go >= 1.26 on PATH)" ""
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"
# Pure Go build (no cgo zstd): nothing to compile but Go.
export CGO_ENABLED=0

: >"$logfile"
log "building victoria-logs $VL_VERSION (go install; first time only; log: $logfile)"
started=$SECONDS
tmpbin="$(mktemp -d)"
GOBIN="$tmpbin" GOFLAGS="-buildvcs=false -trimpath" go install "github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@$VL_VERSION" >>"$logfile" 2>&1 \
  || fail install "go install github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@$VL_VERSION failed" "$logfile"
"$tmpbin/victoria-logs" -version >>"$logfile" 2>&1 || fail install "the built victoria-logs does not run" "$logfile"
mv -f "$tmpbin/victoria-logs" "$binary" && rmdir "$tmpbin"
log "built $binary in $((SECONDS - started))s"
