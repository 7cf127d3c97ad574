#!/usr/bin/env bash
# Stops only the postgres this component started (pid file in $PEREGRINE_IT_STATE), and removes its
# temporary cluster.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=postgres
stop_pids
dir="$(cat "$PEREGRINE_IT_STATE/postgres.dir" 2>/dev/null || true)"
case "$dir" in /tmp/peregrine-postgres.*) rm -rf "$dir" ;; esac
rm -f "$PEREGRINE_IT_STATE/postgres.dir"
log "stopped"
