#!/usr/bin/env bash
# Stops only the mailpit servers this component started (pid files in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=mailpit
stop_pids
log "stopped"
