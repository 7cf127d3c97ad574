#!/usr/bin/env bash
# Builds (once) the Pub/Sub test server: server/main.go wraps pstest, the in-memory Pub/Sub gRPC
# fake of Google's Go client (cloud.google.com/go/pubsub/v2 v2.9.0, Apache-2.0), fetched from the
# Go module proxy (go.sum pins it). The binary goes to $PEREGRINE_IT_CACHE/pubsub (modules: ~/go).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=pubsub

PSTEST_VERSION=v2.9.0   # cloud.google.com/go/pubsub/v2, as in server/go.mod; keep in sync with start.sh
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/server" && pwd)"
dir="$PEREGRINE_IT_CACHE/pubsub"
binary="$dir/pstest-$PSTEST_VERSION"
logfile="$dir/install.log"
mkdir -p "$dir"

if [ -x "$binary" ]; then
  log "pstest $PSTEST_VERSION already installed ($binary)"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin "$HOME/go/bin" /usr/lib/go/bin; do [ -x "$d/go" ] && export PATH="$d:$PATH" && break; done
fi
command -v go >/dev/null 2>&1 || fail install "go is not installed (need Go >= 1.26 on PATH)" ""
: >"$logfile"
log "building pstest $PSTEST_VERSION (go build; first time only; log: $logfile)"
(cd "$src" && GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}" CGO_ENABLED=0 GOFLAGS="-buildvcs=false -trimpath -mod=readonly" go build -o "$binary.tmp" .) >>"$logfile" 2>&1 \
  || fail install "go build of test/infra/pubsub/server failed" "$logfile"
mv -f "$binary.tmp" "$binary"
log "built $binary"
