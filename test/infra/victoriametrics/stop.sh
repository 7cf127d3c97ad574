#!/usr/bin/env bash
# Stops only the VictoriaMetrics this component started (pid file in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=victoriametrics
stop_pids
log "stopped"
