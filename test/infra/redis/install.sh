#!/usr/bin/env bash
# Installs redis-server from Debian (apt). Idempotent: nothing to do when it is installed.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=redis

logfile="$PEREGRINE_IT_CACHE/redis/install.log"
mkdir -p "$PEREGRINE_IT_CACHE/redis"
if command -v redis-server >/dev/null 2>&1; then
  log "redis-server already installed ($(redis-server --version | head -c 40))"
  exit 0
fi
: >"$logfile"
log "installing redis-server (apt)"
{ apt_get install -y --no-install-recommends redis-server || { apt_get update && apt_get install -y --no-install-recommends redis-server; }; } >>"$logfile" 2>&1 \
  || fail install "apt-get install redis-server failed" "$logfile"
command -v redis-server >/dev/null 2>&1 || fail install "redis-server missing after apt-get install" "$logfile"
log "installed $(redis-server --version | head -c 40)"
