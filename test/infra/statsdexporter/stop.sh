#!/usr/bin/env bash
# Stops only the statsd_exporter this component started (pid file in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=statsdexporter
stop_pids
log "stopped"
