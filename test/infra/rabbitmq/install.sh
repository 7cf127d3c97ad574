#!/usr/bin/env bash
# Installs RabbitMQ (and Erlang) from Debian (apt). Idempotent: nothing to do when it is installed.
# The package's own service is never used (and never started where policy-rc.d forbids it): start.sh
# runs a node of its own on loopback ports.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=rabbitmq

logfile="$PEREGRINE_IT_CACHE/rabbitmq/install.log"
mkdir -p "$PEREGRINE_IT_CACHE/rabbitmq"
if [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  log "rabbitmq-server already installed"
  exit 0
fi
: >"$logfile"
log "installing rabbitmq-server (apt)"
{ apt_get install -y --no-install-recommends rabbitmq-server || { apt_get update && apt_get install -y --no-install-recommends rabbitmq-server; }; } >>"$logfile" 2>&1 \
  || fail install "apt-get install rabbitmq-server failed" "$logfile"
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || fail install "rabbitmq-server missing after apt-get install" "$logfile"
log "installed rabbitmq-server $(dpkg-query -W -f '${Version}' rabbitmq-server)"
