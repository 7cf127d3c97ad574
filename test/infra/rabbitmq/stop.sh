#!/usr/bin/env bash
# Stops only the RabbitMQ node and the epmd this component started (pid files in $PEREGRINE_IT_STATE).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=rabbitmq
stop_pids
log "stopped"
