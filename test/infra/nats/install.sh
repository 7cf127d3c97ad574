#!/usr/bin/env bash
# Installs nats-server with `go install` from the Go module proxy into
# $PEREGRINE_IT_CACHE/nats/bin-<version> (module cache: ~/go).
# Idempotent: a second run with the binary present does nothing and touches no network.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=nats

NATS_VERSION=v2.15.3   # pinned exactly; keep in sync with start.sh
bin="$PEREGRINE_IT_CACHE/nats/bin-$NATS_VERSION"
logfile="$PEREGRINE_IT_CACHE/nats/install.log"
mkdir -p "$PEREGRINE_IT_CACHE/nats"

if [ -x "$bin/nats-server" ]; then
  log "nats-server $NATS_VERSION already installed ($bin)"
  exit 0
fi
command -v go >/dev/null 2>&1 || fail install "go is not installed (needed to build nats-server)" ""
: >"$logfile"
log "building nats-server $NATS_VERSION (go install)"
GOBIN="$bin.tmp" go install "github.com/nats-io/nats-server/v2@$NATS_VERSION" >>"$logfile" 2>&1 \
  || fail install "go install github.com/nats-io/nats-server/v2@$NATS_VERSION failed" "$logfile"
rm -rf "$bin" && mv "$bin.tmp" "$bin"
log "installed nats-server $NATS_VERSION"
