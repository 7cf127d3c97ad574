#!/usr/bin/env bash
# Stops only the Alertmanagers this component started (pid files in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=alertmanager
stop_pids
rm -rf "$PEREGRINE_IT_STATE/alertmanager"
log "stopped"
