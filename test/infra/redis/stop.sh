#!/usr/bin/env bash
# Stops only the redis-server this component started (pid file in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=redis
stop_pids
log "stopped"
