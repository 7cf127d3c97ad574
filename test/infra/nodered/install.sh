#!/usr/bin/env bash
# Installs Node-RED (Apache-2.0) from npm, with the project's Node 24, into
# $PEREGRINE_IT_CACHE/nodered/<version> (npm install --prefix, production dependencies only).
# Its one optional native dependency (@node-rs/bcrypt, a prebuilt binary) is not needed: the tests'
# httpNodeAuth hash is checked by the bundled bcryptjs when it is missing, so a failure to get it
# does not fail the install. Idempotent: nothing to do, and no network, when that version is there.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

logfile="$PEREGRINE_IT_CACHE/nodered/install.log"
mkdir -p "$PEREGRINE_IT_CACHE/nodered"
if [ -f "$NODERED_DIR/.installed" ] && [ -f "$NODERED_RED_JS" ]; then
  log "node-red $NODERED_VERSION already installed ($NODERED_DIR)"
  exit 0
fi
command -v npm >/dev/null 2>&1 || fail install "npm is not installed" ""
: >"$logfile"
log "installing node-red $NODERED_VERSION from npm with node $("$NODE" --version) (log: $logfile)"
started=$SECONDS
tmp="$NODERED_DIR.tmp"
rm -rf "$tmp" && mkdir -p "$tmp"
# An empty package.json keeps npm from looking for one further up (the cache may sit inside a project).
printf '{"name":"peregrine-it-nodered","private":true}\n' >"$tmp/package.json"
npm install --prefix "$tmp" --no-audit --no-fund --omit=dev --no-save "node-red@$NODERED_VERSION" >>"$logfile" 2>&1 \
  || fail install "npm install node-red@$NODERED_VERSION failed" "$logfile"
[ -f "$tmp/node_modules/node-red/red.js" ] || fail install "node-red/red.js missing after npm install" "$logfile"
touch "$tmp/.installed"
rm -rf "$NODERED_DIR" && mv "$tmp" "$NODERED_DIR"
log "installed node-red $NODERED_VERSION in $((SECONDS - started))s ($(du -sh "$NODERED_DIR" | cut -f1))"
