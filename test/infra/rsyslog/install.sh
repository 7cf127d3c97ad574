#!/usr/bin/env bash
# Installs rsyslog (rsyslogd with imtcp/imudp) from Debian (apt). Idempotent: nothing to do, and no
# network, when rsyslogd is already installed.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=rsyslog

logfile="$PEREGRINE_IT_CACHE/rsyslog/install.log"
mkdir -p "$PEREGRINE_IT_CACHE/rsyslog"
rsyslogd_bin() { command -v rsyslogd || { [ -x /usr/sbin/rsyslogd ] && echo /usr/sbin/rsyslogd; }; }
if [ -n "$(rsyslogd_bin)" ]; then
  log "rsyslogd already installed ($("$(rsyslogd_bin)" -v | head -n 1 | cut -c1-40))"
  exit 0
fi
: >"$logfile"
log "installing rsyslog (apt-get update, apt-get install)"
# The package's own service start is left to the machine's policy (containers usually forbid it
# through policy-rc.d); the tests never use a system rsyslogd, only the one start.sh runs.
{ apt_get update && apt_get install -y --no-install-recommends rsyslog; } >>"$logfile" 2>&1 \
  || fail install "apt-get install rsyslog failed" "$logfile"
[ -n "$(rsyslogd_bin)" ] || fail install "rsyslogd missing after apt-get install" "$logfile"
log "installed $("$(rsyslogd_bin)" -v | head -n 1 | cut -c1-40)"
