#!/usr/bin/env bash
# Stops only the fake-gcs-server this component started (pid file in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=fakegcs
stop_pids
log "stopped"
