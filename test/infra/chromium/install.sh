#!/usr/bin/env bash
# Installs Debian's chromium (apt) for the console's browser tests, driven by playwright-core with
# executablePath (no browser download). Idempotent: a second run with chromium present does nothing.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
COMPONENT=chromium

logfile="$PEREGRINE_IT_CACHE/chromium/install.log"
mkdir -p "$PEREGRINE_IT_CACHE/chromium"

if [ -x /usr/bin/chromium ] && /usr/bin/chromium --headless --version >/dev/null 2>&1; then
  log "chromium already installed ($(/usr/bin/chromium --version 2>/dev/null))"
  exit 0
fi

: >"$logfile"
command -v apt-get >/dev/null 2>&1 || fail install "apt-get is not available: install Debian's chromium by hand (/usr/bin/chromium)" ""
log "installing chromium (apt)"
{ apt_get update && apt_get install -y --no-install-recommends chromium fonts-dejavu-core; } >>"$logfile" 2>&1 \
  || fail install "apt-get install chromium failed" "$logfile"
[ -x /usr/bin/chromium ] || fail install "/usr/bin/chromium missing after apt-get install" "$logfile"
log "installed $(/usr/bin/chromium --version 2>/dev/null)"
