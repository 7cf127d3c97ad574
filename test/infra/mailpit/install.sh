#!/usr/bin/env bash
# Installs mailpit (SMTP server with an HTTP API listing what it received) with `go install` from
# the Go module proxy into $PEREGRINE_IT_CACHE/mailpit/bin-<version> (module cache: ~/go).
# Idempotent: a second run with the binary present does nothing and touches no network.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=mailpit

MAILPIT_VERSION=v1.33.1   # builds with Go >= 1.24; pinned exactly
bin="$PEREGRINE_IT_CACHE/mailpit/bin-$MAILPIT_VERSION"
logfile="$PEREGRINE_IT_CACHE/mailpit/install.log"
mkdir -p "$PEREGRINE_IT_CACHE/mailpit"

if [ -x "$bin/mailpit" ]; then
  log "mailpit $MAILPIT_VERSION already installed ($bin)"
  exit 0
fi
command -v go >/dev/null 2>&1 || fail install "go is not installed (needed to build mailpit)" ""
command -v openssl >/dev/null 2>&1 || fail install "openssl is not installed (start.sh makes a STARTTLS certificate)" ""
: >"$logfile"
log "building mailpit $MAILPIT_VERSION (go install)"
GOBIN="$bin.tmp" go install "github.com/axllent/mailpit@$MAILPIT_VERSION" >>"$logfile" 2>&1 \
  || fail install "go install github.com/axllent/mailpit@$MAILPIT_VERSION failed" "$logfile"
rm -rf "$bin" && mv "$bin.tmp" "$bin"
log "installed mailpit $MAILPIT_VERSION"
