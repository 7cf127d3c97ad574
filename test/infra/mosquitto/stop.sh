#!/usr/bin/env bash
# Stops only the mosquitto this component started (pid file in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=mosquitto
stop_pids
log "stopped"
