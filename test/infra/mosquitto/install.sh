#!/usr/bin/env bash
# Installs the Mosquitto MQTT broker (and mosquitto_passwd) from Debian (apt). Idempotent: nothing
# to do, and no network, when mosquitto is already installed.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=mosquitto

logfile="$PEREGRINE_IT_CACHE/mosquitto/install.log"
mkdir -p "$PEREGRINE_IT_CACHE/mosquitto"
mosquitto_bin() { command -v mosquitto || { [ -x /usr/sbin/mosquitto ] && echo /usr/sbin/mosquitto; }; }
if [ -n "$(mosquitto_bin)" ] && command -v mosquitto_passwd >/dev/null 2>&1; then
  log "mosquitto already installed ($("$(mosquitto_bin)" -h | head -n 1 | cut -c1-40))"
  exit 0
fi
: >"$logfile"
log "installing mosquitto (apt)"
# The package's own service start is left to the machine's policy (containers usually forbid it
# through policy-rc.d); the tests never use a system broker, only the one start.sh runs.
{ apt_get install -y --no-install-recommends mosquitto || { apt_get update && apt_get install -y --no-install-recommends mosquitto; }; } >>"$logfile" 2>&1 \
  || fail install "apt-get install mosquitto failed" "$logfile"
[ -n "$(mosquitto_bin)" ] || fail install "mosquitto missing after apt-get install" "$logfile"
command -v mosquitto_passwd >/dev/null 2>&1 || fail install "mosquitto_passwd missing after apt-get install" "$logfile"
log "installed $("$(mosquitto_bin)" -h | head -n 1 | cut -c1-40)"
