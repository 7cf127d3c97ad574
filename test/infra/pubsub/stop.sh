#!/usr/bin/env bash
# Stops only the pstest server this component started (pid file in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=pubsub
stop_pids
log "stopped"
