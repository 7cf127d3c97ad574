#!/usr/bin/env bash
# Stops only the Node-RED this component started (pid file in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=nodered
stop_pids
log "stopped"
