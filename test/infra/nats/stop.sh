#!/usr/bin/env bash
# Stops only the nats-server this component started (pid file in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=nats
stop_pids
log "stopped"
