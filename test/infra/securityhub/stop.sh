#!/usr/bin/env bash
# Stops only the moto_server this component started (pid file in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=securityhub
stop_pids
log "stopped"
