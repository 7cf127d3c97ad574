#!/usr/bin/env bash
# Installs (once) fake-gcs-server (BSD-2-Clause), an in-memory Google Cloud Storage JSON API server,
# from the Go module proxy into $PEREGRINE_IT_CACHE/fakegcs (modules/build cache in ~/go, ~/.cache).
# The gcpstorage output's integration test writes objects to it and reads them back.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=fakegcs

FAKEGCS_VERSION=v1.56.1   # pinned exactly; keep in sync with start.sh
dir="$PEREGRINE_IT_CACHE/fakegcs"
binary="$dir/fake-gcs-server-$FAKEGCS_VERSION"
logfile="$dir/install.log"
mkdir -p "$dir"

if [ -x "$binary" ]; then
  log "fake-gcs-server $FAKEGCS_VERSION already installed ($binary)"
  exit 0
fi

: >"$logfile"
go_install "github.com/fsouza/fake-gcs-server@$FAKEGCS_VERSION" fake-gcs-server "$binary" -help
