#!/usr/bin/env bash
# Stops the node start.sh started (by its pid file: the supervisor and its process group).
COMPONENT="${COMPONENT:-elasticsearch}"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
stop_pids
