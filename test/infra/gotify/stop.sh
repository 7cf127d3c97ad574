#!/usr/bin/env bash
# Stops only the Gotify server this component started (pid file in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
stop_pids
log "stopped"
