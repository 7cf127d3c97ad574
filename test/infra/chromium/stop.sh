#!/usr/bin/env bash
# No server was started (the tests close the browsers they launch); removes the state file.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=chromium
stop_pids
log "stopped"
