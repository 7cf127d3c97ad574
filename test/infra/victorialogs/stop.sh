#!/usr/bin/env bash
# Stops only the VictoriaLogs this component started (pid file in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=victorialogs
stop_pids
log "stopped"
